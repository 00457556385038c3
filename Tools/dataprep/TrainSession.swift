import ArgumentParser
import Augment
import DataPrep
import Foundation
import Report
import Train

/// The part of `train` and `fine-tune` after the model exists: augmentation, batch sources,
/// the epoch loop with Ctrl-C handling and progress, checkpoints, history and the run's report.
/// The commands differ only in how they build the `Trainer`; everything a run writes is this.
struct TrainSession {
    let options: TrainOptions

    /// Library errors become a message and exit status 1 (usage errors keep 64).
    static func exitingOnLibraryErrors(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as TrainError {
            CommandSupport.note("error: \(error)"); throw ExitCode(1)
        } catch let error as DataPrepError {
            CommandSupport.note("error: \(error)"); throw ExitCode(1)
        } catch let error as AugmentError {
            CommandSupport.note("error: \(error)"); throw ExitCode(1)
        }
    }

    /// DATA, decoded, and its training and validation splits.
    func loadData(_ path: String) throws -> (loaded: LoadedDataset, train: ImageDataset, validation: ImageDataset?, validationName: String?) {
        let loaded = try TrainData.load(path: path, resize: options.resizeSize, decoding: options.decoding, threads: options.threads,
                                        progress: !options.noProgress)
        let (train, validation, name) = try TrainData.splits(of: loaded, train: options.trainSplit, validation: options.valSplit)
        return (loaded, train, validation, name)
    }

    /// The trainer and run folder continuing `--resume RUN/` (weights, optimizer, state; the
    /// run's own classes and normalization), checked against the training split.
    func resumed(from resume: String, trainSet: ImageDataset) throws -> (Trainer, TrainingRun) {
        let resumed = try TrainingRun.resume(from: resume, threads: options.threads, epochs: options.epochs)
        try TrainData.check(trainSet, fits: resumed.trainer.network, classNames: resumed.info.classNames)
        let run = try TrainingRun(directory: options.out ?? resume, classNames: resumed.info.classNames,
                                  normalization: resumed.info.normalization)
        let state = resumed.trainer.state
        CommandSupport.note("resuming \(resume) at epoch \(state.epoch + 1), batch \(state.batchesDone) (seed \(resumed.trainer.config.seed))")
        return (resumed.trainer, run)
    }

    /// Trains until done, early-stopped or interrupted, saving checkpoints every epoch, then
    /// writes `curves.png` and `report.html`. Prints epoch lines (stderr with `--json`).
    ///
    /// - Returns: the run's result and why it stopped; the caller prints it (and exits 130 on
    ///   an interruption).
    func fit(_ trainer: Trainer, run: TrainingRun, trainSet: ImageDataset, validationSet: ImageDataset?,
             validationName: String?) throws -> (result: TrainResult, reason: StopReason) {
        let normalization = run.normalization
        let pipeline = try trainingPipeline(run: run)
        var training: any BatchSource = makeTrainingSource(trainSet, pipeline: pipeline, normalization: normalization,
                                                           seed: trainer.config.seed)
        var validation = validationSet.map { ArrayBatchSource(dataset: $0, normalization: normalization) }
        let interrupt = TrainInterruptFlag()
        interrupt.install()
        let progress = TrainProgressLine(enabled: !options.noProgress)
        let json = options.json
        CommandSupport.note("training \(trainer.network.spec.name ?? "model") (\(trainer.network.parameters.count) parameters) on \(trainSet.count) samples"
                         + (validationName.map { ", validating on \($0) (\(validationSet!.count))" } ?? ", no validation split")
                         + "; seed \(trainer.config.seed); \(options.threads) thread(s)"
                         + (pipeline.isEmpty ? "" : "; augmenting: \(pipeline.operations.map(\.name).joined(separator: ", "))"))
        let reason = try TrainData.fit(trainer, training: &training, validation: &validation, shouldStop: { interrupt.isRaised },
            onBatch: { p in
                progress.update(epoch: p.epoch, epochs: p.epochs, batch: p.batch, batches: p.batches, loss: p.loss,
                                accuracy: p.accuracy, batchSize: trainer.config.batchSize)
            },
            onEpoch: { record, best in
                progress.clear()
                try run.save(trainer, best: best)
                try run.writeHistory(trainer.state.history)
                let line = TrainData.describe(record, epochs: trainer.config.epochs, best: best)
                if json { CommandSupport.note(line) } else { print(line) }
            })
        progress.clear()
        if reason == .interrupted {
            try run.save(trainer, best: false)
            try run.writeHistory(trainer.state.history)
            CommandSupport.note("interrupted at epoch \(trainer.state.epoch + 1), batch \(trainer.state.batchesDone): checkpoint saved to \(run.lastDirectory); continue with --resume \(run.directory)")
        }
        // The run's pictures and page: RUN/curves.png and RUN/report.html (also after an interruption).
        try TrainingReport(directory: run.directory, trainer: trainer, classNames: run.classNames, normalization: normalization,
                           stopReason: reason).write(to: run.directory)
        let result = TrainResult(run: run.directory, stopReason: reason.rawValue, seed: trainer.config.seed,
                                 epochs: trainer.state.history.count, bestEpoch: trainer.state.bestEpoch,
                                 bestLoss: trainer.state.bestLoss, history: trainer.state.history)
        return (result, reason)
    }

    /// The closing line of a finished (not interrupted) run.
    static func describe(_ result: TrainResult, reason: StopReason, run: TrainingRun) -> String {
        "\(reason == .earlyStopped ? "stopped early" : "done"): best epoch \(result.bestEpoch.map(String.init) ?? "-"); checkpoints in \(run.bestDirectory) and \(run.lastDirectory)"
    }

    /// The augmentation of this run: from the flags for a new run (saved beside the
    /// checkpoints), from `RUN/augmentation.json` when resuming, so a resumed run augments
    /// exactly as the interrupted one would have.
    func trainingPipeline(run: TrainingRun) throws -> Pipeline {
        let saved = joinPath(run.directory, "augmentation.json")
        if options.resume != nil {
            if options.augmentation.hasOperationFlags || options.augmentation.pipeline != nil {
                CommandSupport.note("note: --resume keeps the run's own augmentation (\(saved)); augmentation flags are ignored")
            }
            return FileIO.exists(saved) ? try Pipeline.load(path: saved) : Pipeline()
        }
        let pipeline = try options.augmentation.makePipeline()
        if !pipeline.isEmpty { try FileIO.writeAtomically(pipeline.jsonBytes(), to: saved) }
        return pipeline
    }

    /// The batches the model trains on: the augmenting loader when there is a pipeline, else
    /// the plain shuffled arrays. Both draw the epoch order from the same seeded stream, so
    /// runs stay reproducible and resumable; with an empty pipeline they give identical batches.
    func makeTrainingSource(_ dataset: ImageDataset, pipeline: Pipeline, normalization: Normalization, seed: UInt64) -> any BatchSource {
        guard !pipeline.isEmpty else { return ArrayBatchSource(dataset: dataset, normalization: normalization, shuffleSeed: seed) }
        // One worker: augmenting a sample costs far less than training on it, and a second
        // worker would compete with the training threads for the two cores (PLATFORM.md).
        return BatchLoader(dataset: dataset, pipeline: pipeline, normalization: normalization, seed: seed, threads: 1, prefetch: 4)
    }
}

/// The `--json` result of `train`.
struct TrainResult: Encodable {
    let run: String
    let stopReason: String
    let seed: UInt64
    let epochs: Int
    let bestEpoch: Int?
    let bestLoss: Double?
    let history: [EpochRecord]
}
