import DataPrep
import Train

/// `fine-tune`: a checkpoint's network with its head grown for new classes and its first
/// layers frozen (or a resumed fine-tuning run), trained by `TrainSession`.
public struct FineTuneWorkflow {
    /// A checkpoint folder or a run folder (its best checkpoint).
    public var checkpoint: String
    /// The layers to freeze: a count or names (`FreezeSelection` syntax); nil freezes none.
    public var freeze: String?
    /// Start the whole head over instead of keeping the old classes' weights.
    public var reinitializeHead = false
    public var options: TrainSessionOptions

    public init(checkpoint: String, freeze: String? = nil, reinitializeHead: Bool = false, options: TrainSessionOptions) {
        self.checkpoint = checkpoint
        self.freeze = freeze
        self.reinitializeHead = reinitializeHead
        self.options = options
    }

    /// A fine-tuning run ready to train, and its lineage (nil when resuming: RUN/fine-tune.json has it).
    public struct Start {
        public let prepared: PreparedRun
        public let record: FineTuneRecord?
        /// The model's summary (trainable and frozen totals), shown before training.
        public var summary: ModelSummary { ModelSummary(network: prepared.trainer.network) }

        /// Trains, and gives the `--json` result beside the outcome.
        public func fit() throws -> (outcome: TrainOutcome, result: FineTuneResult) {
            let summary = self.summary
            let outcome = try prepared.fit()
            let result = FineTuneResult(training: outcome.result, classNames: outcome.run.classNames, fineTune: record,
                                        trainableParameters: summary.trainableParameters,
                                        nonTrainableParameters: summary.nonTrainableParameters)
            return (outcome, result)
        }
    }

    /// Checks the output, loads DATA and builds (or resumes) the run.
    public func prepare(data: String, events: WorkflowEvents = .silent) throws -> Start {
        try prepare(data: data, session: TrainSession(options: options, events: events))
    }

    /// `prepare` with a given session (an MPI rank's, see `ClusterTraining`).
    func prepare(data: String, session: TrainSession) throws -> Start {
        var record: FineTuneRecord?
        let prepared = try session.start(data: data, resuming: {
            if freeze != nil || reinitializeHead {
                session.events.note("note: --resume keeps the run's own head and frozen layers; --freeze and --reinit-head are ignored")
            }
        }) { loaded, splits, seed in
            let start = try newRun(loaded, splits: splits, seed: seed, session: session)
            record = start.record
            return start.prepared
        }
        return Start(prepared: prepared, record: record)
    }

    /// Prepares and trains in one call.
    public func run(data: String, events: WorkflowEvents = .silent) throws -> (outcome: TrainOutcome, result: FineTuneResult) {
        try prepare(data: data, events: events).fit()
    }

    /// The checkpoint's network grown and frozen as asked, its trainer, the run folder and the
    /// lineage record (written to RUN/fine-tune.json before the first epoch).
    private func newRun(_ loaded: LoadedDataset, splits: ValidationSplit, seed: UInt64, session: TrainSession) throws
        -> (prepared: PreparedRun, record: FineTuneRecord) {
        let trainSet = splits.train
        let location = try CheckpointLocation(resolving: checkpoint)
        let (source, info) = try Checkpoint.load(from: location.directory, threads: options.threads)
        let classes = try ClassExtension(checkpoint: info.classNames, data: trainSet.classNames)
        let names = ModelSummary(network: source).layers.map(\.name)
        let frozen: [Int]
        do {
            frozen = try freeze.map { try FreezeSelection(parsing: $0).layerIndices(layerNames: names) } ?? []
        } catch let error as TrainError {
            // A bad layer name is the caller's choice, though only the checkpoint can tell.
            throw WorkflowError.rejectedChoice(error)
        }
        let plan = FineTunePlan(classes: classes, frozenLayers: frozen, reinitializeHead: reinitializeHead, seed: seed,
                                l1: options.l1, l2: options.l2)
        let network = try FineTuneModel.build(from: source, plan: plan, threads: options.threads)
        let loss = try TrainData.loss(for: network)
        try TrainData.check(trainSet, fits: network, classNames: classes.classNames)
        if let dataNormalization = loaded.normalization, dataNormalization != info.normalization {
            session.events.note("note: the data was prepared with another normalization; inputs are normalized as the checkpoint was trained")
        }
        let trainer = try session.makeTrainer(network: network, loss: loss, seed: seed)
        let run = try session.newRunFolder(classNames: classes.classNames, normalization: info.normalization, validation: splits.source)
        let record = FineTuneRecord(source: location.directory, plan: plan, summary: ModelSummary(network: network), sourceSpec: source.spec)
        try record.write(to: run.directory)
        session.events.note("fine-tuning \(location.directory): \(classes.kept.count) classes"
                            + (classes.added.isEmpty ? "" : " + \(classes.added.count) new (\(classes.added.joined(separator: ", ")))")
                            + (reinitializeHead ? ", head reinitialized" : "")
                            + "; frozen: \(frozen.isEmpty ? "none" : frozen.map { names[$0] }.joined(separator: ", "))")
        return (PreparedRun(trainer: trainer, run: run, splits: splits, session: session), record)
    }
}
