import ArgumentParser
import Cluster
import Augment
import DataPrep
import Train
import Workflows

/// The options `train` and `fine-tune` share: where the run goes, the optimizer and schedule,
/// splits, seed, threads, resume, augmentation and output. Each command adds what starts its
/// model (`--model`, or a checkpoint and `--freeze`).
struct TrainOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Output folder for checkpoints and history (default with --resume: the resumed folder). "
                                            + "Must be absent or empty, or an earlier run with --overwrite.", valueName: "run"),
            completion: .directory)
    var out: String?

    @Flag(name: .long, help: "Replace the earlier run at --out (a folder that is not a run is never replaced).")
    var overwrite = false

    // Numbers parse `.unconditional`ly so that `--lr -1` reaches validate() and is told what is
    // wrong, instead of "-1" being taken for a flag and reported as a missing value.
    @Option(name: .long, parsing: .unconditional, help: "Epochs to train (with --resume: the new total).")
    var epochs: Int?

    @Option(name: .long, parsing: .unconditional, help: "Samples per step.")
    var batchSize: Int = 32

    @Option(name: .long, parsing: .unconditional,
            help: ArgumentHelp("Samples per block of each step (default \(SampleBlocks.standardSize)): every sum over samples is taken "
                               + "per block and the blocks added in order, so `mpirun -np N` (which shares whole blocks among the "
                               + "ranks) gives the bits of one process. A process's --threads take whole blocks too when it has one "
                               + "for each (else they split each layer). Smaller blocks let more ranks or threads share a step "
                               + "and cost a little speed. Part of the run's numbers, like --batch-size.", valueName: "n"))
    var blockSize: Int = SampleBlocks.standardSize

    @Option(name: .long, help: "Optimizer: \(OptimizerConfig.Kind.allCases.map(\.rawValue).joined(separator: ", ")).")
    var optimizer: OptimizerConfig.Kind = .adam

    @Option(name: .long, parsing: .unconditional, help: "Learning rate (default: 0.001 for adam/rmsprop, 0.01 for sgd).")
    var lr: Float?

    @Option(name: .long, parsing: .unconditional, help: "SGD momentum.")
    var momentum: Float = 0

    @Flag(name: .long, help: "Nesterov momentum (SGD).")
    var nesterov = false

    @Option(name: .long, parsing: .unconditional, help: "L1 kernel regularization for every conv/dense layer without its own (Keras semantics: l1 * sum |w|).")
    var l1: Float?

    @Option(name: .long, parsing: .unconditional, help: "L2 kernel regularization for every conv/dense layer without its own (Keras semantics: l2 * sum w^2).")
    var l2: Float?

    @Option(name: .long, help: "Split to train on.")
    var trainSplit: String = "train"

    @Option(name: .long, help: ArgumentHelp("Validation: a split name, a fraction of the training split to hold out (0 < f < 1, "
                                            + "stratified, seeded), or none. Default: the data's val/validation split, else 0.1 of train. "
                                            + "test only when named (with a warning).", valueName: "split|fraction|none"))
    var valSplit: String?

    @Option(name: .long, parsing: .unconditional, help: "Stop after this many epochs without a lower validation loss.")
    var patience: Int?

    @Option(name: .long, help: "Learning-rate schedule: constant, cosine, or step:EVERY:FACTOR (e.g. step:10:0.5).")
    var lrSchedule: String = "constant"

    @Option(name: .long, help: ArgumentHelp("Continue the run saved in RUN/ (its newest complete checkpoint: last/, or best/ if last/ is missing or older).",
                                            valueName: "run"), completion: .directory)
    var resume: String?

    @OptionGroup var loading: PhotoLoadingOptions<TrainLoadingText>

    @OptionGroup(title: "Augmentation (training split only; Keras ImageDataGenerator names)")
    var augmentation: AugmentationOptions

    @OptionGroup(title: "Classes (relabel DATA before training)")
    var relabel: ClassMapOptions

    @OptionGroup var common: CommonOptions
    @OptionGroup var seeding: SeedOption

    func validate() throws {
        if let epochs, epochs < 1 { throw ValidationError("--epochs must be at least 1, got \(epochs)") }
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1, got \(batchSize)") }
        guard blockSize >= 1 else { throw ValidationError("--block-size must be at least 1, got \(blockSize)") }
        if let lr, !(lr > 0 && lr.isFinite) { throw ValidationError("--lr must be > 0 and finite, got \(lr)") }
        for (flag, value) in [("--l1", l1), ("--l2", l2)] {
            if let value, !(value >= 0 && value.isFinite) { throw ValidationError("\(flag) must be >= 0 and finite, got \(value)") }
        }
        if let patience, patience < 1 { throw ValidationError("--patience must be at least 1, got \(patience)") }
        if resume == nil && out == nil { throw ValidationError("--out RUN/ is required (or --resume RUN/)") }
        if resume != nil && overwrite && (out == nil || out == resume) {
            throw ValidationError("--overwrite starts the run over and --resume continues it: give one")
        }
        if !(momentum >= 0 && momentum < 1) { throw ValidationError("--momentum must be in [0, 1), got \(momentum)") }
        if nesterov && momentum <= 0 { throw ValidationError("--nesterov needs --momentum > 0") }
        do { _ = try ValidationChoice(parsing: valSplit) } catch { throw ValidationError("\(error)") }
        do { _ = try LearningRateSchedule(parsing: lrSchedule) } catch { throw ValidationError("\(error)") }
        try loading.validateResize()
    }

    /// `sessionOptions()` on a rank of an MPI job: rank 0 chooses a new run's seed (announcing
    /// it once when not given) and every rank trains with it.
    func sessionOptions(across cluster: Cluster) throws -> TrainSessionOptions {
        var session = try sessionOptions(resolvingSeed: false)
        if resume == nil { session.seed = try seeding.resolve(across: cluster) }
        return session
    }

    /// The session's typed options; a new run's seed is chosen (and announced when not given).
    func sessionOptions(resolvingSeed: Bool = true) throws -> TrainSessionOptions {
        var session = TrainSessionOptions()
        session.out = out
        session.overwrite = overwrite
        session.resume = resume
        session.epochs = epochs
        session.batchSize = batchSize
        session.blockSize = blockSize
        session.optimizer = OptimizerConfig(kind: optimizer, learningRate: lr, momentum: momentum, nesterov: nesterov)
        (session.l1, session.l2) = (l1, l2)
        session.trainSplit = trainSplit
        session.valSplit = valSplit
        session.patience = patience
        session.schedule = try LearningRateSchedule(parsing: lrSchedule)
        session.threads = common.threads
        (session.resize, session.decoding) = (loading.size, loading.choice)
        session.classMap = try relabel.classMap()
        session.augmentationRequested = augmentation.hasOperationFlags || augmentation.pipeline != nil
        if resume == nil {
            session.augmentation = try augmentation.makePipeline()
            if resolvingSeed { session.seed = seeding.resolve() }
        }
        return session
    }
}
