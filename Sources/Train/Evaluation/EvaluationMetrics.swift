/// The numbers `dataprep evaluate` reports, as written to `metrics.json` and printed by `--json`.
public struct EvaluationMetrics: Codable, Equatable, Sendable {
    /// The checkpoint folder evaluated.
    public var checkpoint: String
    /// The dataset and split evaluated.
    public var data: String
    public var split: String
    public var samples: Int
    /// Mean loss (the training loss of the model's output layer).
    public var loss: Double
    public var accuracy: Double
    public var classNames: [String]
    /// Rows are true classes, columns predicted classes.
    public var confusionMatrix: [[Int]]
    public var report: ClassificationReport

    public init(checkpoint: String, data: String, split: String, predictions: Predictions, classNames: [String]) {
        let matrix = predictions.confusionMatrix
        self.checkpoint = checkpoint; self.data = data; self.split = split
        samples = predictions.count
        loss = predictions.loss
        accuracy = matrix.accuracy
        self.classNames = classNames
        confusionMatrix = (0..<matrix.classes).map(matrix.row)
        report = ClassificationReport(matrix: matrix, classNames: classNames)
    }
}
