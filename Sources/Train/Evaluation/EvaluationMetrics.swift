/// The numbers `dataprep evaluate` reports, as written to `metrics.json` and printed by `--json`.
public struct EvaluationMetrics: Codable, Equatable, Sendable {
    /// The checkpoint folder evaluated.
    public var checkpoint: String
    /// The dataset and split evaluated.
    public var data: String
    public var split: String
    public var samples: Int
    /// Mean loss as Keras's `model.evaluate` reports it: the compiled loss of the model's
    /// output layer plus `penalty` (`model.losses`).
    public var loss: Double
    /// The compiled loss alone (`loss − penalty`).
    public var dataLoss: Double
    /// The L1/L2 penalty of the checkpoint's weights: `Σ l1·|w| + l2·w²` over the trainable
    /// regularized kernels (0 without regularizers).
    public var penalty: Double
    public var accuracy: Double
    public var classNames: [String]
    /// Rows are true classes, columns predicted classes.
    public var confusionMatrix: [[Int]]
    public var report: ClassificationReport

    public init(checkpoint: String, data: String, split: String, predictions: Predictions, classNames: [String], penalty: Double = 0) {
        let matrix = predictions.confusionMatrix
        self.checkpoint = checkpoint; self.data = data; self.split = split
        samples = predictions.count
        dataLoss = predictions.loss
        self.penalty = penalty
        loss = predictions.loss + penalty
        accuracy = matrix.accuracy
        self.classNames = classNames
        confusionMatrix = (0..<matrix.classes).map(matrix.row)
        report = ClassificationReport(matrix: matrix, classNames: classNames)
    }
}
