import DataPrep
import Foundation
import Train

/// Trains one variant into `RUN = runs/NAME` through `TrainWorkflow`: a new run, or the
/// continuation of the checkpoint an earlier, interrupted sweep left there (train's own
/// `--resume`, so it continues exactly); then evaluates it and writes its record. The
/// variant's own notes and epoch lines go to `logs/NAME.log`, not to the sweep's display.
struct VariantRunner: @unchecked Sendable {
    let data: String
    let runs: String
    let logs: String
    let threads: Int
    let testSplit: String?
    let metric: EpochMetric
    let shouldStop: () -> Bool
    let progress: SweepProgress

    struct Result: Sendable {
        var interrupted = false
        /// A diverged loss: the variant is reported, not retried on its own.
        var failure: String?
    }

    func run(_ variant: SweepVariant) throws -> Result {
        let directory = joinPath(runs, variant.name)
        var options = variant.options
        options.threads = threads
        let resumable = try RunFolder.contents(of: directory) == .run && (try? RunFolder.newestCheckpoint(in: directory)) != nil
        if resumable {
            (options.resume, options.out) = (directory, nil)
        } else {
            // A run killed before its first checkpoint starts over (it has nothing to continue).
            (options.out, options.overwrite) = (directory, try RunFolder.contents(of: directory) == .run)
        }
        let log = try VariantLog(path: joinPath(logs, variant.name + ".log"))
        let events = WorkflowEvents(note: log.write, train: TrainEvents(shouldStop: shouldStop, epoch: log.write))
        progress.started(variant.name, resumed: resumable)
        let clock = Date()
        let outcome: TrainOutcome
        do {
            outcome = try TrainWorkflow(model: resumable ? nil : variant.model, options: options).run(data: data, events: events)
        } catch let error as TrainError {
            guard case .nonFiniteLoss = error else { progress.stopped(variant.name, why: "\(error)"); throw error }
            progress.stopped(variant.name, why: "\(error)", retried: false)
            return Result(failure: "\(error)")
        } catch {
            progress.stopped(variant.name, why: "\(error)")
            throw error
        }
        if outcome.reason == .interrupted {
            progress.stopped(variant.name, why: "interrupted (checkpoint saved)")
            return Result(interrupted: true)
        }
        var test: SweepVariantRecord.TestFigures?
        if let testSplit {
            var evaluation = EvaluateWorkflow(checkpoint: directory, data: data)
            evaluation.split = testSplit
            (evaluation.decoding, evaluation.resize, evaluation.classMap) = (options.decoding, options.resize, options.classMap)
            evaluation.threads = threads
            evaluation.overwrite = true
            let evaluated = try evaluation.run(events: WorkflowEvents(note: log.write))
            test = .init(split: evaluated.split, accuracy: evaluated.metrics.accuracy, loss: evaluated.metrics.loss,
                         directory: evaluated.directory)
        }
        let record = SweepVariantRecord(settings: variant.settings, seed: variant.seed, group: variant.group,
                                        wallSeconds: Date().timeIntervalSince(clock), test: test)
        try record.write(to: directory)
        progress.finished(variant.name, summary: summary(outcome.result.history, record: record))
        return Result()
    }

    /// `best epoch 3: val_loss 0.1234, test accuracy 0.9100; 12.3s`.
    private func summary(_ history: [EpochRecord], record: SweepVariantRecord) -> String {
        guard let best = metric.bestEpoch(in: history) else { return String(format: "%.1fs", record.wallSeconds) }
        var text = "best epoch \(best.epoch): \(metric.name) " + String(format: "%.4f", metric.value(of: best) ?? .nan)
        if let test = record.test { text += String(format: ", %@ accuracy %.4f", test.split, test.accuracy) }
        return text + String(format: "; %.1fs", record.wallSeconds)
    }
}

/// A variant's own log: its notes and epoch lines, appended (a resumed variant adds to it).
final class VariantLog: @unchecked Sendable {
    private let handle: FileHandle?
    private let lock = NSLock()

    init(path: String) throws {
        if !FileIO.exists(path) { try FileIO.writeAtomically([], to: path) }
        handle = FileHandle(forWritingAtPath: path)
        _ = try handle?.seekToEnd()
    }

    deinit { try? handle?.close() }

    func write(_ line: String) {
        lock.lock()
        defer { lock.unlock() }
        handle?.write(Data((line + "\n").utf8))
    }
}
