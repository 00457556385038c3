import DataPrep
import Foundation
import Report
import Train

/// `evaluate`: one inference pass of a checkpoint over a split, never shuffled, with the
/// checkpoint's own normalization; writes predictions.csv, metrics.json, confusion.png and
/// report.html into the evaluation folder.
public struct EvaluateWorkflow {
    /// A checkpoint folder (RUN/best, RUN/last) or a run folder (its best checkpoint).
    public var checkpoint: String
    /// Anything `train` reads.
    public var data: String
    public var split = "test"
    /// Samples per forward pass (any value gives the same predictions).
    public var batchSize = 64
    /// The output folder; nil for RUN/eval-DATA-SPLIT beside the checkpoint.
    public var out: String?
    /// Replace an earlier evaluation there.
    public var overwrite = false
    /// Photo folders are resized to this (default: the model's input size).
    public var resize: (width: Int, height: Int)?
    public var decoding = DecodeChoice()
    public var threads = Parallel.defaultThreads
    /// Relabels DATA as it was for training.
    public var classMap: ClassMap?

    public init(checkpoint: String, data: String) {
        self.checkpoint = checkpoint
        self.data = data
    }

    /// What an evaluation measured and where it went.
    public struct Outcome {
        public let metrics: EvaluationMetrics
        public let predictions: Predictions
        /// The checkpoint's classes, in its output order.
        public let classNames: [String]
        /// The resolved checkpoint folder and the split's real name (`all` for a lone batch file).
        public let checkpoint: String
        public let split: String
        /// The folder the files were written to.
        public let directory: String
    }

    public func run(events: WorkflowEvents = .silent) throws -> Outcome {
        let setup = try prepare(checkingOutput: true, events: events)
        var source = ArrayBatchSource(dataset: setup.dataset, normalization: setup.info.normalization)
        let predictions = try events.withProgress("evaluating") { bar in
            try Predictions.run(network: setup.network, loss: setup.loss, source: &source, batchSize: batchSize,
                                progress: { bar.update($0, of: $1) })
        }
        return try finish(setup, predictions: predictions)
    }

    /// Everything before the forward passes: the checkpoint, the split aligned to its classes,
    /// and where the files go.
    struct Setup {
        let location: CheckpointLocation
        let network: Network
        let info: CheckpointInfo
        let loss: Loss
        let dataset: ImageDataset
        let origins: [String]
        let splitName: String
        let directory: String
    }

    func prepare(checkingOutput: Bool, events: WorkflowEvents, sharing: (any DecodeSharing)? = nil) throws -> Setup {
        let location = try CheckpointLocation(resolving: checkpoint)
        let (network, info) = try Checkpoint.load(from: location.directory, threads: threads)
        let loss = try info.training?.loss ?? TrainData.loss(for: network)
        var loaded = try CheckpointData.load(data, model: info.input, resize: resize, decoding: decoding, threads: threads, events: events,
                                             sharing: sharing)
        if let classMap { loaded = try loaded.relabeled(by: classMap, path: data) }
        let (dataset, origins) = try CheckpointData.split(split, of: loaded)
        let splitName = CheckpointData.splitName(split, of: loaded)
        let directory = out ?? location.evaluationDirectory(data: data, split: splitName)
        if checkingOutput { try EvaluationReport.checkOutput(directory, overwrite: overwrite) }
        let aligned = try ClassAlignment.align(dataset, to: info.classNames)
        try TrainData.check(aligned, fits: network, classNames: info.classNames)
        return Setup(location: location, network: network, info: info, loss: loss, dataset: aligned, origins: origins,
                     splitName: splitName, directory: directory)
    }

    /// The metrics of `predictions`, written with the report into the evaluation folder.
    func finish(_ setup: Setup, predictions: Predictions) throws -> Outcome {
        let metrics = EvaluationMetrics(checkpoint: setup.location.directory, data: data, split: setup.splitName, predictions: predictions,
                                        classNames: setup.info.classNames, penalty: Regularization.penalty(setup.network.parameters))
        try EvaluationReport(metrics: metrics, predictions: predictions, sources: setup.origins).write(to: setup.directory)
        return Outcome(metrics: metrics, predictions: predictions, classNames: setup.info.classNames,
                       checkpoint: setup.location.directory, split: setup.splitName, directory: setup.directory)
    }
}
