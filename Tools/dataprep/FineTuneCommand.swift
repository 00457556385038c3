import ArgumentParser
import DataPrep
import Foundation
import Train

/// `dataprep fine-tune CHECKPOINT DATA --freeze N --out RUN/`: continue training a checkpoint on
/// new data, growing its head for new classes and freezing its first layers.
struct FineTuneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fine-tune",
        abstract: "Fine-tune a checkpoint on a dataset: add classes to its head, freeze layers, then train as `train` does.",
        discussion: """
        CHECKPOINT is a checkpoint folder (RUN/best, RUN/last) or a run folder (its best checkpoint). DATA's classes \
        must begin with the checkpoint's, in the same order (merge-cifar writes CIFAR-10's ten names, then the new \
        ones); further classes extend the head: the last dense layer grows from K to K' outputs, the old classes' \
        kernel columns and biases are copied bit for bit (their logits are unchanged before the first step) and the \
        new ones start from the layer's initializer (bias 0), seeded by --seed. --reinit-head starts the whole head \
        over instead.

        --freeze N freezes the first N layers as Keras's model.layers[:N] does: every row of `dataprep model summary` \
        counts, pooling, dropout and flatten included. --freeze NAME,NAME freezes layers by their summary names \
        (conv2d, conv2d_1, batch_normalization, …). Frozen weights stay bit-identical, the optimizer skips them, and a \
        frozen BatchNorm normalizes with its moving statistics (Keras's trainable = False). The summary, with \
        trainable and non-trainable totals, is printed before training.

        Inputs are normalized as the checkpoint was trained. The optimizer and training state start fresh; every \
        `train` option applies. RUN/ has the layout of `train` (last/, best/, history, curves.png, report.html) plus \
        fine-tune.json (source checkpoint, added classes, frozen layers). Its checkpoints are ordinary K'-class \
        checkpoints: `evaluate` reads them, and `--resume RUN/` (here or in `train`) continues the run.

        Examples:
          dataprep fine-tune cifar10-run cifar15 --freeze 5 --epochs 5 --out cifar15-run
          dataprep fine-tune cifar10-run/best cifar15 --freeze conv2d,conv2d_1 --lr 0.0001 --out cifar15-run

        Exit status: 0 trained; 1 data, model or checkpoint error; 64 bad usage (including an unknown layer name); \
        130 interrupted (checkpoint saved).
        """)

    @Argument(help: "The checkpoint to start from: a checkpoint folder or a run folder (uses RUN/best).", completion: .directory)
    var checkpoint: String

    @Argument(help: "The dataset: a split output (e.g. from merge-cifar), MNIST/CIFAR folder or archive, or an image folder.",
              completion: .file())
    var data: String

    @Option(name: .long, help: "Freeze the first N layers (Keras's model.layers[:N]) or the named layers (comma-separated, as `model summary` prints them).")
    var freeze: String?

    @Flag(name: .long, help: "Reinitialize the whole head (last dense layer) instead of keeping the old classes' weights.")
    var reinitHead = false

    @OptionGroup var options: TrainOptions

    func validate() throws {
        if let freeze {
            do { _ = try FreezeSelection(parsing: freeze) } catch { throw ValidationError("\(error)") }
        }
    }

    func run() throws {
        try TrainSession.exitingOnLibraryErrors { try fineTune() }
    }

    private func fineTune() throws {
        let session = TrainSession(options: options)
        try session.checkOutput()
        let loaded = try session.loadData(self.data)
        let trainer: Trainer
        let run: TrainingRun
        let splits: ValidationSplit
        var record: FineTuneRecord?
        if let resume = options.resume {
            if freeze != nil || reinitHead {
                CommandSupport.note("note: --resume keeps the run's own head and frozen layers; --freeze and --reinit-head are ignored")
            }
            (trainer, run, splits) = try session.resumed(from: resume, loaded: loaded)
        } else {
            let seed = options.seed ?? TrainData.freshSeed()
            splits = try session.splits(of: loaded, seed: seed)
            let start = try newRun(loaded, splits: splits, seed: seed, session: session)
            (trainer, run, record) = (start.trainer, start.run, start.record)
        }
        let summary = ModelSummary(network: trainer.network)
        if options.json { CommandSupport.note(summary.text) } else { print(summary.text) }
        let (result, reason) = try session.fit(trainer, run: run, splits: splits)
        if options.json {
            try CommandSupport.printJSON(FineTuneResult(training: result, classNames: run.classNames, fineTune: record,
                                                        trainableParameters: summary.trainableParameters,
                                                        nonTrainableParameters: summary.nonTrainableParameters))
        } else if reason != .interrupted {
            print(TrainSession.describe(result, reason: reason, run: run))
        }
        if reason == .interrupted { throw ExitCode(130) }
    }

    /// The checkpoint's network grown and frozen as asked, its trainer, the run folder and the
    /// lineage record (written to RUN/fine-tune.json before the first epoch).
    private func newRun(_ loaded: LoadedDataset, splits: ValidationSplit, seed: UInt64, session: TrainSession) throws
        -> (trainer: Trainer, run: TrainingRun, record: FineTuneRecord) {
        let trainSet = splits.train
        let location = try CheckpointLocation(resolving: checkpoint)
        let (source, info) = try Checkpoint.load(from: location.directory, threads: options.threads)
        let classes = try ClassExtension(checkpoint: info.classNames, data: trainSet.classNames)
        let names = ModelSummary(network: source).layers.map(\.name)
        let frozen: [Int]
        do {
            frozen = try freeze.map { try FreezeSelection(parsing: $0).layerIndices(layerNames: names) } ?? []
        } catch let error as TrainError {
            // A bad --freeze is bad usage, though only the checkpoint can tell: exit 64 like validate().
            CommandSupport.error(error)
            throw ExitCode.validationFailure
        }
        let plan = FineTunePlan(classes: classes, frozenLayers: frozen, reinitializeHead: reinitHead, seed: seed,
                                l1: options.l1, l2: options.l2)
        let network = try FineTuneModel.build(from: source, plan: plan, threads: options.threads)
        let loss = try TrainData.loss(for: network)
        try TrainData.check(trainSet, fits: network, classNames: classes.classNames)
        if let dataNormalization = loaded.normalization, dataNormalization != info.normalization {
            CommandSupport.note("note: the data was prepared with another normalization; inputs are normalized as the checkpoint was trained")
        }
        let trainer = try Trainer(network: network, config: try options.trainingConfig(seed: seed, loss: loss))
        let run = try session.newRunFolder(classNames: classes.classNames, normalization: info.normalization, validation: splits.source)
        let record = FineTuneRecord(source: location.directory, plan: plan, summary: ModelSummary(network: network), sourceSpec: source.spec)
        try record.write(to: run.directory)
        CommandSupport.note("fine-tuning \(location.directory): \(classes.kept.count) classes"
                            + (classes.added.isEmpty ? "" : " + \(classes.added.count) new (\(classes.added.joined(separator: ", ")))")
                            + (reinitHead ? ", head reinitialized" : "")
                            + "; frozen: \(frozen.isEmpty ? "none" : frozen.map { names[$0] }.joined(separator: ", "))")
        return (trainer, run, record)
    }
}

/// The `--json` result of `fine-tune`: the training result plus where the run came from.
struct FineTuneResult: Encodable {
    let training: TrainResult
    let classNames: [String]
    /// Nil when resuming (the run's fine-tune.json has it).
    let fineTune: FineTuneRecord?
    let trainableParameters: Int
    let nonTrainableParameters: Int
}
