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
            CommandSupport.error(error); throw ExitCode(1)
        } catch let error as DataPrepError {
            CommandSupport.error(error); throw ExitCode(1)
        } catch let error as AugmentError {
            CommandSupport.error(error); throw ExitCode(1)
        } catch let error as ClassMapError {
            CommandSupport.error(error); throw ExitCode(1)
        }
    }

    /// Refuses, before anything is loaded or trained, an --out that is not absent, empty, or an
    /// earlier run replaced with --overwrite (`--resume RUN` alone writes into RUN itself).
    func checkOutput() throws {
        guard let out = options.out, out != options.resume else { return }
        try RunFolder.checkNewRun(at: out, overwrite: options.overwrite)
    }

    /// DATA, decoded.
    func loadData(_ path: String) throws -> LoadedDataset {
        let loaded = try TrainData.load(path: path, resize: options.resizeSize, decoding: options.decoding, threads: options.threads,
                                        progress: !options.noProgress)
        guard let map = try options.relabel.classMap() else { return loaded }
        return try loaded.relabeled(by: map, path: path)
    }

    /// The training and validation sets of a new run (`--val-split`, carving with `seed`),
    /// announced on stderr, with the loud warning for `test`.
    func splits(of loaded: LoadedDataset, seed: UInt64) throws -> ValidationSplit {
        let splits = try ValidationSplit(splits: loaded.splits, train: options.trainSplit, choice: ValidationChoice(parsing: options.valSplit),
                                         seed: seed)
        if let warning = splits.warning { CommandSupport.note(warning) }
        return splits
    }

    /// A new run's folder at --out (an earlier run there replaced with --overwrite).
    func newRunFolder(classNames: [String], normalization: Normalization, validation: ValidationSource) throws -> TrainingRun {
        try TrainingRun(directory: options.out!, classNames: classNames, normalization: normalization, validation: validation,
                        replacing: options.overwrite)
    }

    /// The trainer, run folder and splits continuing `--resume RUN/` from its newest complete
    /// checkpoint (weights, optimizer, state; the run's own classes, normalization and
    /// validation samples), checked against the training split.
    func resumed(from resume: String, loaded: LoadedDataset) throws -> (Trainer, TrainingRun, ValidationSplit) {
        let (trainer, point) = try TrainingRun.resumeNewest(from: resume, threads: options.threads, epochs: options.epochs)
        let info = point.info
        var choice = try ValidationChoice(parsing: options.valSplit)
        if let saved = info.validation {
            if options.valSplit != nil && choice != saved.choice {
                CommandSupport.note("note: --resume validates as the run did (\(saved)); --val-split is ignored")
            }
            choice = saved.choice
        }
        let splits = try ValidationSplit(splits: loaded.splits, train: options.trainSplit, choice: choice,
                                         seed: info.validation?.seed ?? trainer.config.seed)
        if let warning = splits.warning { CommandSupport.note(warning) }
        try TrainData.check(splits.train, fits: trainer.network, classNames: info.classNames)
        let run = try TrainingRun(directory: options.out ?? resume, classNames: info.classNames, normalization: info.normalization,
                                  validation: splits.source, replacing: options.overwrite)
        let state = trainer.state
        let skipped = point.passedOver.isEmpty ? "" : " (passed over: \(point.passedOver.joined(separator: "; ")))"
        CommandSupport.note("resuming \(resume) from \(lastPathComponent(point.directory))/ at epoch \(state.epoch + 1), batch \(state.batchesDone) "
                            + "(seed \(trainer.config.seed))\(skipped)")
        return (trainer, run, splits)
    }

    /// Trains until done, early-stopped or interrupted, saving checkpoints every epoch, then
    /// writes `curves.png` and `report.html`. Prints epoch lines (stderr with `--json`).
    ///
    /// - Returns: the run's result and why it stopped; the caller prints it (and exits 130 on
    ///   an interruption).
    func fit(_ trainer: Trainer, run: TrainingRun, splits: ValidationSplit) throws -> (result: TrainResult, reason: StopReason) {
        var run = run
        let normalization = run.normalization
        let pipeline = try trainingPipeline(run: run)
        run.augmentation = pipeline.isEmpty ? nil : try JSONDecoder().decode(JSONValue.self, from: Data(pipeline.jsonBytes()))
        let trainSet = splits.train
        var training: any BatchSource = makeTrainingSource(trainSet, pipeline: pipeline, normalization: normalization,
                                                           seed: trainer.config.seed)
        var validation = splits.validation.map { ArrayBatchSource(dataset: $0, normalization: normalization) }
        let interrupt = TrainInterruptFlag()
        interrupt.install()
        let progress = TrainProgressLine(enabled: !options.noProgress)
        CommandSupport.note("training \(trainer.network.spec.name ?? "model") (\(trainer.network.parameters.count) parameters) on \(trainSet.count) samples"
                         + (splits.validation == nil ? ", no validation (the best checkpoint follows the training loss)"
                                                     : ", validating on \(splits.source)")
                         + "; seed \(trainer.config.seed); \(options.threads) thread(s)"
                         + (pipeline.isEmpty ? "" : "; augmenting: \(pipeline.operations.map(\.name).joined(separator: ", "))"))
        let reason: StopReason
        do {
            reason = try fitEpochs(trainer, run: run, training: &training, validation: &validation, interrupt: interrupt, progress: progress)
        } catch TrainError.nonFiniteLoss(let what, let value, let epoch, let step) {
            progress.clear()
            let kept = trainer.state.history.isEmpty ? "no epoch finished, so no checkpoint was written"
                : "the checkpoints of epoch \(trainer.state.history.count) are kept in \(run.lastDirectory) and \(run.bestDirectory)"
            CommandSupport.note("stopped: \(kept)")
            throw TrainError.nonFiniteLoss(what: what, value: value, epoch: epoch, step: step)
        }
        progress.clear()
        if reason == .interrupted {
            try run.save(trainer, best: false)
            try run.writeHistory(trainer.state.history)
            CommandSupport.note("interrupted at epoch \(trainer.state.epoch + 1), batch \(trainer.state.batchesDone): checkpoint saved to \(run.lastDirectory); continue with --resume \(run.directory)")
        }
        // The run's pictures and page: RUN/curves.png and RUN/report.html (also after an interruption).
        try TrainingReport(directory: run.directory, trainer: trainer, classNames: run.classNames, normalization: normalization,
                           stopReason: reason, validation: run.validation?.description,
                           augmentation: pipeline.operations.map(Self.describe)).write(to: run.directory)
        let result = TrainResult(run: run.directory, stopReason: reason.rawValue, seed: trainer.config.seed,
                                 epochs: trainer.state.history.count, bestEpoch: trainer.state.bestEpoch,
                                 bestLoss: trainer.state.bestLoss, history: trainer.state.history)
        return (result, reason)
    }

    /// The epoch loop of `fit`: checkpoints, history and an epoch line after every epoch.
    private func fitEpochs(_ trainer: Trainer, run: TrainingRun, training: inout any BatchSource, validation: inout ArrayBatchSource?,
                           interrupt: TrainInterruptFlag, progress: TrainProgressLine) throws -> StopReason {
        let json = options.json
        return try TrainData.fit(trainer, training: &training, validation: &validation, shouldStop: { interrupt.isRaised },
            onBatch: { p in
                progress.update(epoch: p.epoch, epochs: p.epochs, batch: p.batch, batches: p.batches, loss: p.loss,
                                accuracy: p.accuracy, batchSize: trainer.config.batchSize)
            },
            onEpoch: { record, best in
                progress.clear()
                try run.save(trainer, best: best)
                try run.writeHistory(trainer.state.history)
                let line = TrainData.describe(record, epochs: trainer.config.epochs, best: best)
                if json { CommandSupport.note(line) } else { CommandSupport.printLine(line) }
            })
    }

    /// One augmentation operation as its compact JSON (`{"degrees":10,"op":"rotation"}`), for the report.
    static func describe(_ operation: AugmentationOp) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? String(decoding: encoder.encode(operation), as: UTF8.self)) ?? operation.name
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
