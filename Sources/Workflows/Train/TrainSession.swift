import Augment
import DataPrep
import Foundation
import Report
import Train

/// The part of `train` and `fine-tune` around the model: checking --out, loading and splitting
/// the data, resuming, and the epoch loop with checkpoints, history and the run's report. The
/// workflows differ only in how they build a new run's `Trainer`.
public struct TrainSession {
    public let options: TrainSessionOptions
    public let events: WorkflowEvents
    /// Who shares every step's blocks: one process, or the ranks of an MPI job (`run(across:)`).
    let exchange: any BlockExchange
    /// How a photo collection's decoding is shared between ranks (nil: this process decodes all).
    let decodeSharing: (any DecodeSharing)?

    public init(options: TrainSessionOptions, events: WorkflowEvents = .silent) {
        self.init(options: options, events: events, exchange: SingleProcess(), decodeSharing: nil)
    }

    init(options: TrainSessionOptions, events: WorkflowEvents, exchange: any BlockExchange, decodeSharing: (any DecodeSharing)?) {
        self.options = options
        self.events = events
        self.exchange = exchange
        self.decodeSharing = decodeSharing
    }

    /// The trainer of a new run, sharing its steps as this session does.
    func makeTrainer(network: Network, loss: Loss, seed: UInt64) throws -> Trainer {
        try Trainer(network: network, config: options.trainingConfig(seed: seed, loss: loss), exchange: exchange)
    }

    /// Refuses, before anything is loaded or trained, an `out` that is not absent, empty, or an
    /// earlier run replaced with `overwrite` (`resume` alone writes into the resumed run).
    func checkOutput() throws {
        guard let out = options.out, out != options.resume else { return }
        try RunFolder.checkNewRun(at: out, overwrite: options.overwrite)
    }

    /// DATA decoded at `resize` (else its own size) and in the channels asked for (else its own:
    /// a folder of gray images trains a 1-channel model), relabelled by the class map.
    func loadData(_ path: String) throws -> LoadedDataset {
        var loadOptions = LoadedDataset.Options(size: options.resize, color: options.decoding.color, threads: options.threads,
                                                decode: options.decoding.decode)
        loadOptions.decodeSharing = decodeSharing
        let loaded = try events.withProgress("loading \(lastPathComponent(path))") { bar in
            try LoadedDataset.load(path: path, options: loadOptions, progress: { bar.update($0, of: $1) })
        }
        guard let map = options.classMap else { return loaded }
        return try loaded.relabeled(by: map, path: path)
    }

    /// The training and validation sets of a run, carving with `seed`, with the loud warning for `test`.
    func splits(of loaded: LoadedDataset, choice: ValidationChoice, seed: UInt64) throws -> ValidationSplit {
        let splits = try ValidationSplit(splits: loaded.splits, train: options.trainSplit, choice: choice, seed: seed,
                                         spillDirectory: try carveSpillDirectory())
        if let warning = splits.warning { events.note(warning) }
        return splits
    }

    /// Where a carved validation split's parts are spilled: beside the run folder (on the disk
    /// that will hold the run anyway), made if absent.
    private func carveSpillDirectory() throws -> String? {
        try (options.out ?? options.resume).map(SpillFile.directory(beside:))
    }

    /// Checks --out, loads DATA and, for a new run, splits it with the run's seed; a resumed
    /// run is continued from its newest complete checkpoint (`resuming` is called first).
    func start(data path: String, resuming: () -> Void = {},
               newRun: (LoadedDataset, ValidationSplit, UInt64) throws -> PreparedRun) throws -> PreparedRun {
        try checkOutput()
        let loaded = try loadData(path)
        if let resume = options.resume {
            resuming()
            return try resumed(from: resume, loaded: loaded)
        }
        let seed = try options.newRunSeed()
        let splits = try splits(of: loaded, choice: try ValidationChoice(parsing: options.valSplit), seed: seed)
        return try newRun(loaded, splits, seed)
    }

    /// A new run's folder at `out` (an earlier run there replaced with `overwrite`).
    func newRunFolder(classNames: [String], normalization: Normalization, validation: ValidationSource) throws -> TrainingRun {
        guard let out = options.out else { throw TrainError.invalidConfiguration(reason: "a new run needs an output folder") }
        return try TrainingRun(directory: out, classNames: classNames, normalization: normalization, validation: validation,
                               replacing: options.overwrite)
    }

    /// The trainer, run folder and splits continuing `resume` from its newest complete
    /// checkpoint (weights, optimizer, state; the run's own classes, normalization and
    /// validation samples), checked against the training split.
    func resumed(from resume: String, loaded: LoadedDataset) throws -> PreparedRun {
        let (trainer, point) = try TrainingRun.resumeNewest(from: resume, threads: options.threads, epochs: options.epochs,
                                                                exchange: exchange)
        let info = point.info
        var choice = try ValidationChoice(parsing: options.valSplit)
        if let saved = info.validation {
            if options.valSplit != nil && choice != saved.choice {
                events.note("note: --resume validates as the run did (\(saved)); --val-split is ignored")
            }
            choice = saved.choice
        }
        let splits = try splits(of: loaded, choice: choice, seed: info.validation?.seed ?? trainer.config.seed)
        try TrainData.check(splits.train, fits: trainer.network, classNames: info.classNames)
        let run = try TrainingRun(directory: options.out ?? resume, classNames: info.classNames, normalization: info.normalization,
                                  validation: splits.source, replacing: options.overwrite)
        let state = trainer.state
        let skipped = point.passedOver.isEmpty ? "" : " (passed over: \(point.passedOver.joined(separator: "; ")))"
        events.note("resuming \(resume) from \(lastPathComponent(point.directory))/ at epoch \(state.epoch + 1), batch \(state.batchesDone) "
                    + "(seed \(trainer.config.seed))\(skipped)")
        return PreparedRun(trainer: trainer, run: run, splits: splits, session: self)
    }

    /// Trains until done, early-stopped or interrupted, saving checkpoints every epoch, then
    /// writes `curves.png`, `curves.svg` and `report.html` (also after an interruption).
    func fit(_ prepared: PreparedRun) throws -> TrainOutcome {
        let trainer = prepared.trainer, splits = prepared.splits
        var run = prepared.run
        let normalization = run.normalization
        let pipeline = try trainingPipeline(run: run)
        run.augmentation = pipeline.isEmpty ? nil : try JSONDecoder().decode(JSONValue.self, from: Data(pipeline.jsonBytes()))
        var training = makeTrainingSource(splits.train, pipeline: pipeline, normalization: normalization, seed: trainer.config.seed)
        var validation = splits.validation.map { ArrayBatchSource(dataset: $0, normalization: normalization) }
        events.train.willTrain()
        events.note("training \(trainer.network.spec.name ?? "model") (\(trainer.network.parameters.count) parameters) on \(splits.train.count) samples"
                    + (splits.validation == nil ? ", no validation (the best checkpoint follows the training loss)"
                                                : ", validating on \(splits.source)")
                    + "; seed \(trainer.config.seed); \(options.threads) thread(s)"
                    + (pipeline.isEmpty ? "" : "; augmenting: \(pipeline.operations.map(\.name).joined(separator: ", "))"))
        let reason: StopReason
        do {
            reason = try fitEpochs(trainer, run: run, training: &training, validation: &validation)
        } catch TrainError.nonFiniteLoss(let what, let value, let epoch, let step) {
            events.train.clearBatch()
            let kept = trainer.state.history.isEmpty ? "no epoch finished, so no checkpoint was written"
                : "the checkpoints of epoch \(trainer.state.history.count) are kept in \(run.lastDirectory) and \(run.bestDirectory)"
            events.note("stopped: \(kept)")
            throw TrainError.nonFiniteLoss(what: what, value: value, epoch: epoch, step: step)
        }
        events.train.clearBatch()
        if reason == .interrupted {
            try run.save(trainer, best: false)
            try run.writeHistory(trainer.state.history)
            events.note("interrupted at epoch \(trainer.state.epoch + 1), batch \(trainer.state.batchesDone): checkpoint saved to \(run.lastDirectory); continue with --resume \(run.directory)")
        }
        try TrainingReport(directory: run.directory, trainer: trainer, classNames: run.classNames, normalization: normalization,
                           stopReason: reason, validation: run.validation?.description,
                           augmentation: pipeline.operations.map(Self.describe)).write(to: run.directory)
        let result = TrainResult(run: run.directory, stopReason: reason.rawValue, seed: trainer.config.seed,
                                 epochs: trainer.state.history.count, bestEpoch: trainer.state.bestEpoch,
                                 bestLoss: trainer.state.bestLoss, history: trainer.state.history)
        return TrainOutcome(result: result, reason: reason, run: run)
    }

    /// The epoch loop of `fit`: checkpoints, history and an epoch line after every epoch.
    private func fitEpochs<S: BatchSource>(_ trainer: Trainer, run: TrainingRun, training: inout S,
                                           validation: inout ArrayBatchSource?) throws -> StopReason {
        let train = events.train
        return try trainer.fit(training: &training, validation: &validation, shouldStop: train.shouldStop,
            onBatch: { train.batch($0, trainer.config.batchSize) },
            onEpoch: { record, best in
                train.clearBatch()
                try run.save(trainer, best: best)
                try run.writeHistory(trainer.state.history)
                train.epoch(TrainData.describe(record, epochs: trainer.config.epochs, best: best))
            })
    }

    /// One augmentation operation as its compact JSON (`{"degrees":10,"op":"rotation"}`), for the report.
    static func describe(_ operation: AugmentationOp) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? String(decoding: encoder.encode(operation), as: UTF8.self)) ?? operation.name
    }

    /// The augmentation of this run: the requested one for a new run (saved beside the
    /// checkpoints), `RUN/augmentation.json` when resuming, so a resumed run augments exactly
    /// as the interrupted one would have.
    func trainingPipeline(run: TrainingRun) throws -> Pipeline {
        let saved = joinPath(run.directory, "augmentation.json")
        if let resume = options.resume {
            // Read from the resumed run (which `run` is not when --out names a new folder, or
            // on an MPI rank other than 0) and kept beside the checkpoints being written.
            let resumed = joinPath(resume, "augmentation.json")
            if options.augmentationRequested {
                events.note("note: --resume keeps the run's own augmentation (\(resumed)); augmentation flags are ignored")
            }
            guard FileIO.exists(resumed) else { return Pipeline() }
            let pipeline = try Pipeline.load(path: resumed)
            if resumed != saved { try FileIO.writeAtomically(pipeline.jsonBytes(), to: saved) }
            return pipeline
        }
        let pipeline = options.augmentation
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

/// A run ready to train: its trainer (new or resumed), folder and splits. `fit()` trains it.
public struct PreparedRun {
    public let trainer: Trainer
    public let run: TrainingRun
    public let splits: ValidationSplit
    let session: TrainSession

    /// Trains until done, early-stopped or interrupted (see `TrainSession.fit`).
    public func fit() throws -> TrainOutcome { try session.fit(self) }
}
