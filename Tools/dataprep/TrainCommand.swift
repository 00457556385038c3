import ArgumentParser
import Augment
import DataPrep
import Foundation
import Report
import Train

/// `dataprep train DATA --model SPEC --out RUN/`: train a model, validating every epoch,
/// saving best/last checkpoints and the history.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a model on a dataset (any input `info` reads, including `split` outputs), with checkpoints and history.",
        discussion: """
        MODEL is a preset (\(ModelPreset.allCases.map(\.rawValue).joined(separator: ", "))), a JSON file, inline JSON or spec \
        text (see `dataprep model summary --help`). The loss follows the last layer: softmax → sparse categorical \
        cross-entropy, one sigmoid unit → binary cross-entropy. Inputs use the normalization stored by `split` when \
        there is one, else x/255. Validation runs after every epoch on --val-split (default: the `val` split, else `test`).

        Augmentation flags (as `dataprep augment preview`) apply to the training split only, on the fly: sample i \
        of epoch e always gets the same pixels for a seed, whatever the thread count. The pipeline is saved as \
        RUN/augmentation.json and reused by --resume.

        RUN/ receives last/ and best/ checkpoints (model.safetensors + checkpoint.json + optimizer.safetensors) and \
        history.csv / history.json. Ctrl-C finishes the current step, saves RUN/last and exits 130; \
        `--resume RUN/` continues exactly where it stopped (pass the same DATA; --epochs may extend the run).

        Exit status: 0 trained (all epochs or early stop); 1 data, model or checkpoint error; 64 bad usage; 130 interrupted (checkpoint saved).
        """)

    @Argument(help: "The dataset: a split output, MNIST/CIFAR folder or archive, or an image folder (with --resize).")
    var data: String

    @Option(name: .long, help: "Model: preset name, JSON file, inline JSON or spec text.")
    var model: String?

    @Option(name: .long, help: "Output folder for checkpoints and history (default with --resume: the resumed folder).")
    var out: String?

    @Option(name: .long, help: "Epochs to train (with --resume: the new total).")
    var epochs: Int?

    @Option(name: .long, help: "Samples per step.")
    var batchSize: Int = 32

    @Option(name: .long, help: "Optimizer: \(OptimizerConfig.Kind.allCases.map(\.rawValue).joined(separator: ", ")).")
    var optimizer: OptimizerConfig.Kind = .adam

    @Option(name: .long, help: "Learning rate (default: 0.001 for adam/rmsprop, 0.01 for sgd).")
    var lr: Float?

    @Option(name: .long, help: "SGD momentum.")
    var momentum: Float = 0

    @Flag(name: .long, help: "Nesterov momentum (SGD).")
    var nesterov = false

    @Option(name: .long, help: "L1 kernel regularization for every conv/dense layer without its own (Keras semantics).")
    var l1: Float?

    @Option(name: .long, help: "L2 kernel regularization for every conv/dense layer without its own (Keras semantics: l2 * sum w^2).")
    var l2: Float?

    @Option(name: .long, help: "Split to train on.")
    var trainSplit: String = "train"

    @Option(name: .long, help: "Split to validate on (default: val, else test; 'none' to skip).")
    var valSplit: String?

    @Option(name: .long, help: "Stop after this many epochs without a lower validation loss.")
    var patience: Int?

    @Option(name: .long, help: "Learning-rate schedule: constant, cosine, or step:EVERY:FACTOR (e.g. step:10:0.5).")
    var lrSchedule: String = "constant"

    @Option(name: .long, help: "Seed for initialisation, shuffling and dropout (printed when omitted).")
    var seed: UInt64?

    @Option(name: .long, help: "Threads (default: all cores). Results are bit-identical for any value.")
    var threads: Int = Parallel.defaultThreads

    @Option(name: .long, help: "Continue the run saved in RUN/ (its last checkpoint).")
    var resume: String?

    @Option(name: .long, help: "Resize images of a photo folder to WxH while loading (required for folders of mixed sizes).")
    var resize: String?

    @Flag(name: .long, help: "Print the result as JSON on stdout; epoch lines go to stderr.")
    var json = false

    @OptionGroup(title: "Augmentation (training split only; Keras ImageDataGenerator names)")
    var augmentation: AugmentationOptions

    @Flag(name: .long, help: "Never draw the progress line.")
    var noProgress = false

    func validate() throws {
        if let epochs, epochs < 1 { throw ValidationError("--epochs must be at least 1, got \(epochs)") }
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1, got \(batchSize)") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1, got \(threads)") }
        if let lr, !(lr > 0) { throw ValidationError("--lr must be positive, got \(lr)") }
        if let patience, patience < 1 { throw ValidationError("--patience must be at least 1, got \(patience)") }
        if resume == nil {
            guard model != nil else { throw ValidationError("--model is required (or --resume RUN/)") }
            guard out != nil else { throw ValidationError("--out RUN/ is required (or --resume RUN/)") }
        }
        if nesterov && momentum <= 0 { throw ValidationError("--nesterov needs --momentum > 0") }
        if momentum < 0 || momentum >= 1 { throw ValidationError("--momentum must be in [0, 1), got \(momentum)") }
        do { _ = try LearningRateSchedule(parsing: lrSchedule) } catch { throw ValidationError("\(error)") }
        if let resize, TrainCommand.parseSize(resize) == nil { throw ValidationError("--resize must look like 80x80, got \(resize)") }
    }

    static func parseSize(_ text: String) -> (width: Int, height: Int)? {
        let parts = text.lowercased().split(separator: "x").compactMap { Int($0) }
        guard parts.count == 2, parts.allSatisfy({ $0 > 0 }) else { return nil }
        return (parts[0], parts[1])
    }

    func run() throws {
        do {
            try train()
        } catch let error as TrainError {
            CommandSupport.note("error: \(error)"); throw ExitCode(1)
        } catch let error as DataPrepError {
            CommandSupport.note("error: \(error)"); throw ExitCode(1)
        } catch let error as AugmentError {
            CommandSupport.note("error: \(error)"); throw ExitCode(1)
        }
    }

    private func train() throws {
        let loaded = try TrainData.load(path: data, resize: resize.flatMap(TrainCommand.parseSize), threads: threads,
                                        progress: !noProgress)
        let (trainSet, validationSet, validationName) = try TrainData.splits(of: loaded, train: trainSplit, validation: valSplit)
        let trainer: Trainer
        let run: TrainingRun
        if let resume {
            let resumed = try TrainingRun.resume(from: resume, threads: threads, epochs: epochs)
            trainer = resumed.trainer
            try TrainData.check(trainSet, fits: trainer.network, classNames: resumed.info.classNames)
            run = try TrainingRun(directory: out ?? resume, classNames: resumed.info.classNames, normalization: resumed.info.normalization)
            CommandSupport.note("resuming \(resume) at epoch \(trainer.state.epoch + 1), batch \(trainer.state.batchesDone) (seed \(trainer.config.seed))")
        } else {
            let spec = try ModelSpec.resolve(model!).withDefaultRegularizers(l1: l1, l2: l2)
            let input = TensorShape(height: trainSet.height, width: trainSet.width, channels: trainSet.channels)
            if let declared = spec.input, declared.dimensions != input.dimensions && !declared.isFlat {
                throw TrainError.incompatibleData(reason: "model \(spec.name ?? "spec") expects \(declared) inputs, the data is \(input) (use --resize or another model)")
            }
            let seed = self.seed ?? TrainData.freshSeed()
            let network = try Network(spec: spec, input: input, seed: seed, threads: threads)
            guard let loss = Loss.matching(activation: network.outputActivation, outputs: network.outputShape.count) else {
                throw TrainError.incompatibleData(reason: "the model must end in softmax (classes) or one sigmoid unit (binary), it ends in \(network.outputActivation.rawValue) with \(network.outputShape.count) outputs")
            }
            try TrainData.check(trainSet, fits: network, classNames: trainSet.classNames)
            var optimizerConfig = OptimizerConfig(kind: optimizer, learningRate: lr, momentum: momentum, nesterov: nesterov)
            optimizerConfig.momentum = momentum
            let config = TrainingConfig(epochs: epochs ?? 10, batchSize: batchSize, optimizer: optimizerConfig,
                                        schedule: try LearningRateSchedule(parsing: lrSchedule), patience: patience,
                                        seed: seed, loss: loss)
            trainer = try Trainer(network: network, config: config)
            run = try TrainingRun(directory: out!, classNames: trainSet.classNames, normalization: loaded.normalization ?? .unit)
        }
        let normalization = run.normalization
        let pipeline = try trainingPipeline(run: run)
        var training: any BatchSource = makeTrainingSource(trainSet, pipeline: pipeline, normalization: normalization,
                                                           seed: trainer.config.seed)
        var validation = validationSet.map { ArrayBatchSource(dataset: $0, normalization: normalization) }
        let interrupt = TrainInterruptFlag()
        interrupt.install()
        let progress = TrainProgressLine(enabled: !noProgress)
        let json = self.json
        CommandSupport.note("training \(trainer.network.spec.name ?? "model") (\(trainer.network.parameters.count) parameters) on \(trainSet.count) samples"
                         + (validationName.map { ", validating on \($0) (\(validationSet!.count))" } ?? ", no validation split")
                         + "; seed \(trainer.config.seed); \(threads) thread(s)"
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
        if json {
            try CommandSupport.printJSON(result)
        } else if reason != .interrupted {
            print("\(reason == .earlyStopped ? "stopped early" : "done"): best epoch \(result.bestEpoch.map(String.init) ?? "-"); checkpoints in \(run.bestDirectory) and \(run.lastDirectory)")
        }
        if reason == .interrupted { throw ExitCode(130) }
    }

    /// The augmentation of this run: from the flags for a new run (saved beside the
    /// checkpoints), from `RUN/augmentation.json` when resuming, so a resumed run augments
    /// exactly as the interrupted one would have.
    func trainingPipeline(run: TrainingRun) throws -> Pipeline {
        let saved = joinPath(run.directory, "augmentation.json")
        if resume != nil {
            if augmentation.hasOperationFlags || augmentation.pipeline != nil {
                CommandSupport.note("note: --resume keeps the run's own augmentation (\(saved)); augmentation flags are ignored")
            }
            return FileIO.exists(saved) ? try Pipeline.load(path: saved) : Pipeline()
        }
        let pipeline = try augmentation.makePipeline()
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
