/// Per-class precision, recall, F1 and support with macro and weighted averages, as
/// scikit-learn's `classification_report(..., zero_division=0)` computes them:
///
/// - precision = TP / (TP + FP), recall = TP / (TP + FN), F1 = 2·TP / (2·TP + FP + FN)
///   (equal to the harmonic mean of precision and recall whenever both are defined);
/// - a ratio whose denominator is 0 is reported as 0: precision of a class never predicted,
///   recall of a class with no samples, F1 of a class with neither. `undefinedPrecision` and
///   `undefinedRecall` name those classes so reports can say so;
/// - macro average = unweighted mean over *all* classes (including ones without support, as
///   scikit-learn does when given the full label list); weighted average = mean weighted by
///   support; accuracy = trace / total.
///
/// Reference: scikit-learn, `sklearn.metrics.precision_recall_fscore_support`.
public struct ClassificationReport: Codable, Equatable, Sendable {
    /// One line of the report.
    public struct Row: Codable, Equatable, Sendable {
        public var name: String
        public var precision: Double
        public var recall: Double
        public var f1: Double
        /// True samples of the class (for averages: all samples).
        public var support: Int

        public init(name: String, precision: Double, recall: Double, f1: Double, support: Int) {
            self.name = name; self.precision = precision; self.recall = recall; self.f1 = f1; self.support = support
        }
    }

    public var classes: [Row]
    public var macroAverage: Row
    public var weightedAverage: Row
    public var accuracy: Double
    /// Classes never predicted: their precision is 0/0, reported as 0.
    public var undefinedPrecision: [String]
    /// Classes without samples: their recall is 0/0, reported as 0.
    public var undefinedRecall: [String]
    /// How 0/0 is reported, in scikit-learn's words.
    public var zeroDivision = "zero_division=0"

    /// The report of `matrix`, naming classes by `classNames` (one per row).
    public init(matrix: ConfusionMatrix, classNames: [String]) {
        precondition(classNames.count == matrix.classes,
                     "need one name per class: \(matrix.classes) classes, \(classNames.count) names")
        let tp = matrix.truePositives, predicted = matrix.predictedCounts, support = matrix.support
        var rows: [Row] = []
        for c in 0..<matrix.classes {
            let fp = predicted[c] - tp[c], fn = support[c] - tp[c]
            rows.append(Row(name: classNames[c],
                            precision: Self.ratio(tp[c], tp[c] + fp),
                            recall: Self.ratio(tp[c], tp[c] + fn),
                            f1: Self.ratio(2 * tp[c], 2 * tp[c] + fp + fn),
                            support: support[c]))
        }
        let total = matrix.total, n = Double(max(1, rows.count))
        func mean(_ metric: KeyPath<Row, Double>) -> Double { rows.reduce(0) { $0 + $1[keyPath: metric] } / n }
        func weighted(_ metric: KeyPath<Row, Double>) -> Double {
            total == 0 ? 0 : rows.reduce(0) { $0 + $1[keyPath: metric] * Double($1.support) } / Double(total)
        }
        classes = rows
        macroAverage = Row(name: "macro avg", precision: mean(\.precision), recall: mean(\.recall), f1: mean(\.f1), support: total)
        weightedAverage = Row(name: "weighted avg", precision: weighted(\.precision), recall: weighted(\.recall),
                              f1: weighted(\.f1), support: total)
        accuracy = matrix.accuracy
        undefinedPrecision = (0..<matrix.classes).filter { predicted[$0] == 0 }.map { classNames[$0] }
        undefinedRecall = (0..<matrix.classes).filter { support[$0] == 0 }.map { classNames[$0] }
    }

    /// `numerator / denominator`, or 0 when the denominator is 0 (`zero_division=0`).
    static func ratio(_ numerator: Int, _ denominator: Int) -> Double {
        denominator == 0 ? 0 : Double(numerator) / Double(denominator)
    }

    /// The footnote every rendering of the report carries: how 0/0 was reported and where it
    /// happened (empty when no ratio was undefined).
    public var zeroDivisionNote: String {
        var parts: [String] = []
        if !undefinedPrecision.isEmpty {
            parts.append("precision is 0/0 for classes never predicted (\(undefinedPrecision.joined(separator: ", ")))")
        }
        if !undefinedRecall.isEmpty {
            parts.append("recall is 0/0 for classes without samples (\(undefinedRecall.joined(separator: ", ")))")
        }
        guard !parts.isEmpty else { return "" }
        return parts.joined(separator: "; ") + ": reported as 0, as scikit-learn's zero_division=0."
    }
}
