import Train

/// A progress display for one stage of a workflow (decoding, writing, evaluating…). The CLI
/// draws a bar on a terminal; tests pass `SilentProgress`. `update` may be called from worker
/// threads.
public protocol ProgressSink: Sendable {
    func update(_ done: Int, of total: Int)
    /// The stage is over (successfully or not): clear whatever was drawn.
    func finish()
}

/// A progress sink that shows nothing.
public struct SilentProgress: ProgressSink {
    public init() {}
    public func update(_ done: Int, of total: Int) {}
    public func finish() {}
}

/// How a workflow talks to whoever runs it, without knowing whether that is a terminal, a log
/// or a test: notes (the CLI writes them to stderr), progress stages, and the training loop's
/// hooks. Every hook defaults to doing nothing, so a test passes only what it watches.
public struct WorkflowEvents {
    /// A line for the user that is not the result: warnings, what is being done, the seed.
    public var note: (String) -> Void
    /// A progress sink for a stage named by the label ("loading mnist", "evaluating").
    public var progress: (String) -> any ProgressSink
    public var train: TrainEvents

    public init(note: @escaping (String) -> Void = { _ in }, progress: @escaping (String) -> any ProgressSink = { _ in SilentProgress() },
                train: TrainEvents = TrainEvents()) {
        self.note = note
        self.progress = progress
        self.train = train
    }

    /// Nothing shown, nothing stopped.
    public static var silent: WorkflowEvents { WorkflowEvents() }
}

/// The training loop's hooks: where an interruption comes from and where its figures go.
public struct TrainEvents {
    /// Called once right before the first step (after loading and checks): the CLI starts
    /// turning Ctrl-C into `shouldStop` here, so an interruption while loading still simply ends
    /// the process.
    public var willTrain: () -> Void
    /// Polled between steps; true saves a checkpoint and ends the run as `.interrupted`.
    public var shouldStop: () -> Bool
    /// After every step, with the epoch's running figures and the batch size.
    public var batch: (BatchProgress, Int) -> Void
    /// Before anything else is written: erase whatever `batch` drew.
    public var clearBatch: () -> Void
    /// The figures of a finished epoch as one line (`epoch 3/10  loss 0.4123  acc …`).
    public var epoch: (String) -> Void

    public init(willTrain: @escaping () -> Void = {}, shouldStop: @escaping () -> Bool = { false },
                batch: @escaping (BatchProgress, Int) -> Void = { _, _ in }, clearBatch: @escaping () -> Void = {},
                epoch: @escaping (String) -> Void = { _ in }) {
        self.willTrain = willTrain
        self.shouldStop = shouldStop
        self.batch = batch
        self.clearBatch = clearBatch
        self.epoch = epoch
    }
}

extension WorkflowEvents {
    /// Runs `body` with a progress sink for `label`, finished whatever happens.
    func withProgress<T>(_ label: String, _ body: (any ProgressSink) throws -> T) rethrows -> T {
        let sink = progress(label)
        defer { sink.finish() }
        return try body(sink)
    }
}
