/// Everything that decides a training run's numbers (saved in every checkpoint).
public struct TrainingConfig: Codable, Equatable, Sendable {
    public var epochs: Int
    public var batchSize: Int
    public var optimizer: OptimizerConfig
    public var schedule: LearningRateSchedule
    /// Stop after this many epochs without improvement of the monitored loss (nil: never).
    public var patience: Int?
    /// Root seed: initialisation, epoch order, dropout masks.
    public var seed: UInt64
    public var loss: Loss
    /// Samples per block of each step (`SampleBlocks`): the unit shared between processes and
    /// of every sum over samples. nil in checkpoints written before blocks (they resume with
    /// the standard size).
    public var blockSize: Int?

    public init(epochs: Int, batchSize: Int, optimizer: OptimizerConfig, schedule: LearningRateSchedule = .constant,
                patience: Int? = nil, seed: UInt64, loss: Loss, blockSize: Int = SampleBlocks.standardSize) {
        self.epochs = epochs; self.batchSize = batchSize; self.optimizer = optimizer; self.schedule = schedule
        self.patience = patience; self.seed = seed; self.loss = loss; self.blockSize = blockSize
    }

    /// The block size this run computes with.
    public var samplesPerBlock: Int { blockSize ?? SampleBlocks.standardSize }
}

/// One row of the training history.
public struct EpochRecord: Codable, Equatable, Sendable {
    /// 1-based, as printed.
    public var epoch: Int
    public var learningRate: Float
    public var loss: Double
    public var accuracy: Double
    public var validationLoss: Double?
    public var validationAccuracy: Double?
    /// `loss` without the penalty: the mean of the compiled loss alone (nil in checkpoints
    /// written before it was recorded).
    public var dataLoss: Double?
    /// `validationLoss` without the penalty.
    public var validationDataLoss: Double?
    /// The L1/L2 penalty of the weights at the end of the epoch, `Σ l1·|w| + l2·w²` over the
    /// trainable regularized kernels: what `validationLoss` adds to `validationDataLoss`, as
    /// Keras's `model.evaluate` adds `model.losses` to the compiled loss (0 without regularizers).
    public var penalty: Double?
    public var seconds: Double
    public var samplesPerSecond: Double
}

/// Where a run stands: enough to continue it exactly (`--resume`).
public struct TrainingState: Codable, Equatable, Sendable {
    /// 0-based epoch in progress (or next to run).
    public var epoch = 0
    /// Batches of `epoch` already trained (non-zero only after an interruption).
    public var batchesDone = 0
    /// Optimizer steps so far (dropout masks are keyed by it).
    public var step = 0
    /// Running sums of the epoch in progress (`epochDataLossSum`: without the penalty; nil in
    /// checkpoints written before it was recorded).
    public var epochLossSum = 0.0
    public var epochDataLossSum: Double?
    public var epochCorrect = 0
    public var epochSeen = 0
    /// Best monitored loss (validation loss, or training loss without validation) and its epoch.
    public var bestLoss: Double?
    public var bestEpoch: Int?
    public var epochsWithoutImprovement = 0
    public var history: [EpochRecord] = []
    public var stopReason: StopReason?

    public init() {}
}

/// Why `fit` returned.
public enum StopReason: String, Codable, Sendable {
    case completed
    case earlyStopped = "early-stopped"
    case interrupted
}
