/// Counts of (true class, predicted class) pairs: row `t`, column `p` holds how many samples of
/// class `t` the model called `p`. Rows sum to each class's support, columns to how often each
/// class was predicted, and the diagonal holds the hits (scikit-learn's `confusion_matrix`
/// orientation).
public struct ConfusionMatrix: Codable, Equatable, Sendable {
    /// Number of classes (rows and columns).
    public let classes: Int
    /// `classes * classes` counts, row-major: `counts[t * classes + p]`.
    public private(set) var counts: [Int]

    /// An all-zero matrix for `classes` classes.
    public init(classes: Int) {
        precondition(classes >= 1, "a confusion matrix needs at least one class, got \(classes)")
        self.classes = classes
        counts = [Int](repeating: 0, count: classes * classes)
    }

    /// The matrix of paired labels.
    /// - Complexity: O(n + classes²).
    public init(classes: Int, trueLabels: [Int], predicted: [Int]) {
        precondition(trueLabels.count == predicted.count,
                     "true and predicted labels must pair up, got \(trueLabels.count) and \(predicted.count)")
        self.init(classes: classes)
        for (t, p) in zip(trueLabels, predicted) { add(true: t, predicted: p) }
    }

    /// Counts one sample.
    public mutating func add(true t: Int, predicted p: Int) {
        precondition((0..<classes).contains(t) && (0..<classes).contains(p),
                     "labels must be in 0..<\(classes), got true \(t), predicted \(p)")
        counts[t * classes + p] += 1
    }

    /// Samples of class `t` predicted as `p`.
    public subscript(true t: Int, predicted p: Int) -> Int { counts[t * classes + p] }

    /// Row `t` as an array (how class `t`'s samples were predicted).
    public func row(_ t: Int) -> [Int] { Array(counts[(t * classes)..<((t + 1) * classes)]) }

    /// Samples per true class (row sums): scikit-learn's *support*.
    public var support: [Int] { (0..<classes).map { t in row(t).reduce(0, +) } }
    /// Predictions per class (column sums).
    public var predictedCounts: [Int] { (0..<classes).map { p in (0..<classes).reduce(0) { $0 + self[true: $1, predicted: p] } } }
    /// Correct predictions per class (the diagonal).
    public var truePositives: [Int] { (0..<classes).map { self[true: $0, predicted: $0] } }
    /// All samples counted.
    public var total: Int { counts.reduce(0, +) }
    /// Fraction on the diagonal; 0 for an empty matrix.
    public var accuracy: Double { total == 0 ? 0 : Double(truePositives.reduce(0, +)) / Double(total) }
}
