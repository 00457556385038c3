import Augment
import DataPrep
import Train

/// Everything `train` and `fine-tune` share about a run, as typed values (the CLI parses its
/// flags into this): where the run goes, optimizer and schedule, splits, seed, resume,
/// decoding, relabelling and augmentation. What starts the model (a spec, or a checkpoint and
/// the layers to freeze) belongs to each workflow.
public struct TrainSessionOptions {
    /// The run folder; nil only with `resume` (the resumed folder is written in place).
    public var out: String?
    /// Replace an earlier run at `out`.
    public var overwrite = false
    /// Continue the run saved in this folder (its newest complete checkpoint).
    public var resume: String?
    /// Epochs to train (with `resume`: the new total); nil keeps 10 for a new run.
    public var epochs: Int?
    public var batchSize = 32
    /// Samples per block of each step (`SampleBlocks`): the unit shared between MPI ranks.
    public var blockSize = SampleBlocks.standardSize
    public var optimizer = OptimizerConfig(kind: .adam, learningRate: nil, momentum: 0, nesterov: false)
    /// Default L1/L2 kernel regularization of layers without their own.
    public var l1: Float?
    public var l2: Float?
    public var trainSplit = "train"
    /// A split name, a fraction to hold out, `none`, or nil for the default (see `ValidationChoice`).
    public var valSplit: String?
    public var patience: Int?
    public var schedule: LearningRateSchedule = .constant
    /// The seed of a new run (required then); a resumed run keeps its own.
    public var seed: UInt64?
    public var threads = Parallel.defaultThreads
    /// Photo folders are resized to this while loading.
    public var resize: (width: Int, height: Int)?
    public var decoding = DecodeChoice()
    /// Relabels the data as it is loaded.
    public var classMap: ClassMap?
    /// The augmentation of a new run (empty for none). A resumed run uses its own.
    public var augmentation = Pipeline()
    /// Whether augmentation was asked for (a resumed run says it ignores it).
    public var augmentationRequested = false

    public init() {}

    /// The run's numbers for a new run: optimizer, schedule, epochs (default 10), patience, seed, loss.
    func trainingConfig(seed: UInt64, loss: Loss) -> TrainingConfig {
        TrainingConfig(epochs: epochs ?? 10, batchSize: batchSize, optimizer: optimizer, schedule: schedule, patience: patience,
                       seed: seed, loss: loss, blockSize: blockSize)
    }

    /// The seed of a new run, which the caller must have chosen (and announced).
    func newRunSeed() throws -> UInt64 {
        guard let seed else { throw TrainError.invalidConfiguration(reason: "a new run needs a seed") }
        return seed
    }
}
