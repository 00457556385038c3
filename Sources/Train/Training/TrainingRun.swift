import DataPrep
import Foundation

/// The output folder of `dataprep train`:
///
/// ```
/// RUN/last/   checkpoint after every epoch (and on interruption): model.safetensors,
///             checkpoint.json, optimizer.safetensors
/// RUN/best/   the epoch with the lowest validation loss (training loss without validation)
/// RUN/history.csv, RUN/history.json   one row per finished epoch
/// ```
public struct TrainingRun {
    public let directory: String
    public let classNames: [String]
    public let normalization: Normalization

    public init(directory: String, classNames: [String], normalization: Normalization) throws {
        self.directory = directory; self.classNames = classNames; self.normalization = normalization
        try FileIO.makeDirectories(directory)
    }

    public var lastDirectory: String { joinPath(directory, "last") }
    public var bestDirectory: String { joinPath(directory, "best") }

    /// Saves `trainer`'s network, optimizer and state as the last (and optionally best) checkpoint,
    /// with the history.
    ///
    /// `last/` is what `--resume` continues from, so it is written last: a run killed anywhere in
    /// here resumes from the previous epoch and rewrites the history and `best/` it had already
    /// written with the same bytes. The other order could leave a `last/` whose best epoch never
    /// reached `best/`, or a finished run whose history lacks its final epoch.
    public func save(_ trainer: Trainer, best: Bool) throws {
        let info = CheckpointInfo(model: trainer.network.spec, input: trainer.network.inputShape, classNames: classNames,
                                  normalization: normalization, training: trainer.config, state: trainer.state)
        try writeHistory(trainer.state.history)
        if best { try Checkpoint.save(network: trainer.network, info: info, optimizer: trainer.optimizer, to: bestDirectory) }
        try Checkpoint.save(network: trainer.network, info: info, optimizer: trainer.optimizer, to: lastDirectory)
    }

    /// Rewrites `history.csv` and `history.json` from the state's records.
    public func writeHistory(_ history: [EpochRecord]) throws {
        var csv = "epoch,learning_rate,loss,accuracy,val_loss,val_accuracy,seconds,samples_per_second\n"
        for r in history {
            let fields: [String] = ["\(r.epoch)", "\(r.learningRate)", "\(r.loss)", "\(r.accuracy)",
                                    r.validationLoss.map { "\($0)" } ?? "", r.validationAccuracy.map { "\($0)" } ?? "",
                                    String(format: "%.3f", r.seconds), String(format: "%.1f", r.samplesPerSecond)]
            csv += fields.joined(separator: ",") + "\n"
        }
        try FileIO.writeAtomically(Array(csv.utf8), to: joinPath(directory, "history.csv"))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try FileIO.writeAtomically(Array(try encoder.encode(history)), to: joinPath(directory, "history.json"))
    }

    /// A trainer continuing the run saved in `RUN/last` (weights, optimizer slots and state).
    public static func resume(from directory: String, threads: Int, epochs: Int? = nil) throws -> (trainer: Trainer, info: CheckpointInfo) {
        let last = joinPath(directory, "last")
        guard FileIO.exists(joinPath(last, Checkpoint.infoFile)) else {
            throw TrainError.invalidConfiguration(reason: "\(directory): no checkpoint to resume (expected \(joinPath(last, Checkpoint.infoFile)))")
        }
        let (network, info) = try Checkpoint.load(from: last, threads: threads)
        guard var config = info.training, let state = info.state else {
            throw TrainError.corruptCheckpoint(path: joinPath(last, Checkpoint.infoFile), reason: "no training config/state to resume")
        }
        if let epochs { config.epochs = epochs }
        let trainer = try Trainer(network: network, config: config, state: state)
        try Checkpoint.loadOptimizer(trainer.optimizer, network: network, from: last, iterations: info.optimizerIterations ?? 0)
        return (trainer, info)
    }
}
