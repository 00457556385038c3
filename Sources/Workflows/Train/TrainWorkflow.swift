import DataPrep
import Train

/// `train`: a fresh network from a model spec (or a resumed run), trained by `TrainSession`.
public struct TrainWorkflow {
    public var options: TrainSessionOptions
    /// A preset name, JSON file, inline JSON or spec text; nil only when resuming.
    public var model: String?

    public init(model: String?, options: TrainSessionOptions) {
        self.model = model
        self.options = options
    }

    /// Checks the output, loads DATA and builds (or resumes) the run; `fit()` on the result trains.
    public func prepare(data: String, events: WorkflowEvents = .silent) throws -> PreparedRun {
        try prepare(data: data, session: TrainSession(options: options, events: events))
    }

    /// `prepare` with a given session (an MPI rank's, see `ClusterTraining`).
    func prepare(data: String, session: TrainSession) throws -> PreparedRun {
        try session.start(data: data) { loaded, splits, seed in
            try newRun(loaded, splits: splits, seed: seed, session: session)
        }
    }

    /// Prepares and trains in one call.
    public func run(data: String, events: WorkflowEvents = .silent) throws -> TrainOutcome {
        try prepare(data: data, events: events).fit()
    }

    /// A fresh network from the spec, its trainer and the run folder.
    private func newRun(_ loaded: LoadedDataset, splits: ValidationSplit, seed: UInt64, session: TrainSession) throws -> PreparedRun {
        guard let model else { throw TrainError.invalidConfiguration(reason: "a new run needs a model") }
        let trainSet = splits.train
        let spec = try ModelSpec.resolve(model).withDefaultRegularizers(l1: options.l1, l2: options.l2)
        let input = TensorShape(height: trainSet.height, width: trainSet.width, channels: trainSet.channels)
        if let declared = spec.input, declared.dimensions != input.dimensions && !declared.isFlat {
            throw TrainError.incompatibleData(reason: "model \(spec.name ?? "spec") expects \(declared) inputs, the data is \(input) (use --resize or another model)")
        }
        let network = try Network(spec: spec, input: input, seed: seed, threads: options.threads)
        let loss = try TrainData.loss(for: network)
        try TrainData.check(trainSet, fits: network, classNames: trainSet.classNames)
        let trainer = try session.makeTrainer(network: network, loss: loss, seed: seed)
        let run = try session.newRunFolder(classNames: trainSet.classNames, normalization: loaded.normalization ?? .unit,
                                           validation: splits.source)
        return PreparedRun(trainer: trainer, run: run, splits: splits, session: session)
    }
}
