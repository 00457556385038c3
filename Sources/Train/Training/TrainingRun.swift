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
    /// Recorded in every checkpoint: where validation came from, and the augmentation.
    public var validation: ValidationSource?
    public var augmentation: JSONValue?

    /// Creates the folder. Check it first with `RunFolder.checkNewRun` (a new run) or resume
    /// into it; with `replacing`, an earlier run there is removed first (never anything else).
    public init(directory: String, classNames: [String], normalization: Normalization, validation: ValidationSource? = nil,
                augmentation: JSONValue? = nil, replacing: Bool = false) throws {
        self.directory = directory; self.classNames = classNames; self.normalization = normalization
        self.validation = validation; self.augmentation = augmentation
        if replacing { try RunFolder.clear(directory) }
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
        var info = CheckpointInfo(model: trainer.network.spec, input: trainer.network.inputShape, classNames: classNames,
                                  normalization: normalization, training: trainer.config, state: trainer.state)
        info.validation = validation; info.augmentation = augmentation
        try writeHistory(trainer.state.history)
        if best { try Checkpoint.save(network: trainer.network, info: info, optimizer: trainer.optimizer, to: bestDirectory) }
        try Checkpoint.save(network: trainer.network, info: info, optimizer: trainer.optimizer, to: lastDirectory)
    }

    /// Rewrites `history.csv` and `history.json` from the state's records.
    public func writeHistory(_ history: [EpochRecord]) throws {
        // loss and val_loss include the L1/L2 penalty (Keras); data_loss / val_data_loss do not.
        var csv = "epoch,learning_rate,loss,accuracy,val_loss,val_accuracy,data_loss,val_data_loss,penalty,seconds,samples_per_second\n"
        func field(_ value: Double?) -> String { value.map { "\($0)" } ?? "" }
        for r in history {
            let fields: [String] = ["\(r.epoch)", "\(r.learningRate)", "\(r.loss)", "\(r.accuracy)",
                                    field(r.validationLoss), field(r.validationAccuracy), field(r.dataLoss),
                                    field(r.validationDataLoss), field(r.penalty),
                                    String(format: "%.3f", r.seconds), String(format: "%.1f", r.samplesPerSecond)]
            csv += fields.joined(separator: ",") + "\n"
        }
        try FileIO.writeAtomically(Array(csv.utf8), to: joinPath(directory, "history.csv"))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try FileIO.writeAtomically(Array(try encoder.encode(history)), to: joinPath(directory, "history.json"))
    }

    /// A trainer continuing the run saved in `directory` (weights, optimizer slots and state).
    public static func resume(from directory: String, threads: Int, epochs: Int? = nil) throws -> (trainer: Trainer, info: CheckpointInfo) {
        let resumed = try resumeNewest(from: directory, threads: threads, epochs: epochs)
        return (resumed.trainer, resumed.point.info)
    }

    /// A trainer continuing the newest complete checkpoint of `directory` (`RunFolder.newestCheckpoint`:
    /// `last/`, or `best/` when a save stopped before `last/`), and which one it is.
    public static func resumeNewest(from directory: String, threads: Int, epochs: Int? = nil,
                                    exchange: any BlockExchange = SingleProcess())
        throws -> (trainer: Trainer, point: RunFolder.ResumePoint) {
        let point = try RunFolder.newestCheckpoint(in: directory)
        let (network, info) = try Checkpoint.load(from: point.directory, threads: threads)
        guard var config = info.training, let state = info.state else {
            throw TrainError.corruptCheckpoint(path: joinPath(point.directory, Checkpoint.infoFile), reason: "no training config/state to resume")
        }
        if let epochs { config.epochs = epochs }
        let trainer: Trainer
        do {
            trainer = try Trainer(network: network, config: config, state: state, exchange: exchange)
        } catch TrainError.invalidConfiguration(let reason) {
            throw TrainError.corruptCheckpoint(path: joinPath(point.directory, Checkpoint.infoFile), reason: reason)
        }
        try Checkpoint.loadOptimizer(trainer.optimizer, network: network, from: point.directory, iterations: info.optimizerIterations ?? 0)
        return (trainer, point)
    }
}
