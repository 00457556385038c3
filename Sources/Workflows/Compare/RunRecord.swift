import DataPrep
import Foundation
import Train

/// What the comparison reads from one run folder: its history, parameter count (from the
/// checkpoint), the sweep's settings and test figures when a sweep made it, and its wall time.
public struct RunRecord: Sendable {
    public let name: String
    public let directory: String
    public let history: [EpochRecord]
    /// Parameters of the model, trainable and frozen (`model summary`'s total, Keras's "Total params").
    public let parameters: Int
    /// The sweep's record, nil for a run `sweep` did not make.
    public let sweep: SweepVariantRecord?
    /// Test figures: the sweep's, else those of the run's one `eval-…-test` folder, if any.
    public let test: SweepVariantRecord.TestFigures?
    /// The sweep's measured wall time, else the sum of the epochs' seconds.
    public let wallSeconds: Double

    /// The variant a row of the table groups this run under (runs of one variant over seeds share it).
    public var group: String { sweep?.group ?? name }

    public static func read(directory: String, name: String) throws -> RunRecord {
        guard try RunFolder.contents(of: directory) == .run else {
            throw TrainError.invalidConfiguration(reason: "\(directory): not a training run (no history.json or checkpoint)")
        }
        let historyPath = joinPath(directory, "history.json")
        let history: [EpochRecord]
        do { history = try JSONDecoder().decode([EpochRecord].self, from: Data(try FileIO.read(historyPath))) } catch {
            throw TrainError.corruptCheckpoint(path: historyPath, reason: "unreadable history (\(error))")
        }
        let point = try RunFolder.newestCheckpoint(in: directory)
        let parameters = point.info.parameters ?? point.info.tensors.values.reduce(0) { $0 + $1.reduce(1, *) }
        let sweep = try SweepVariantRecord.read(from: directory)
        let wall = sweep?.wallSeconds ?? history.reduce(0) { $0 + $1.seconds }
        return RunRecord(name: name, directory: directory, history: history, parameters: parameters, sweep: sweep,
                         test: try sweep?.test ?? Self.evaluation(in: directory), wallSeconds: wall)
    }

    /// The test figures of the run's best checkpoint, when exactly one `eval-*-test` folder
    /// (what `evaluate RUN DATA` writes) holds them: with several, which data is meant is unclear.
    static func evaluation(in directory: String) throws -> SweepVariantRecord.TestFigures? {
        let folders = try FileIO.listAll(directory).filter { $0.hasPrefix("eval-") && $0.hasSuffix("-test") && !$0.hasPrefix("eval-last-") }
        guard folders.count == 1 else { return nil }
        let folder = joinPath(directory, folders[0])
        guard let bytes = try? FileIO.read(joinPath(folder, "metrics.json")),
              let metrics = try? JSONDecoder().decode(EvaluationMetrics.self, from: Data(bytes)) else { return nil }
        return .init(split: metrics.split, accuracy: metrics.accuracy, loss: metrics.loss, directory: folder)
    }
}
