import DataPrep
import Foundation
import Train

/// What `dataprep evaluate` leaves in its output folder:
///
/// ```
/// predictions.csv  index,source,true,predicted,p_<class>… — one row per sample, dataset order
/// metrics.json     EvaluationMetrics: loss, accuracy, confusion matrix, classification report
/// confusion.png    the confusion matrix heat map
/// report.html      all of it on one self-contained page
/// ```
public struct EvaluationReport: Sendable {
    public var metrics: EvaluationMetrics
    public var predictions: Predictions
    /// Where each sample came from (path or `file#record`), aligned with the predictions.
    public var sources: [String]

    public init(metrics: EvaluationMetrics, predictions: Predictions, sources: [String]) {
        self.metrics = metrics; self.predictions = predictions; self.sources = sources
    }

    public static let files = ["predictions.csv", "metrics.json", "confusion.png", "report.html"]

    /// The heat map of the confusion matrix.
    public var confusionChart: Canvas {
        let matrix = predictions.confusionMatrix
        return ConfusionMatrixChart(matrix: matrix, classNames: metrics.classNames,
                                    title: "Confusion matrix, \(metrics.split) (n=\(metrics.samples))").render()
    }

    /// `metrics.json`: pretty, key-sorted.
    public func metricsJSON() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(metrics)) + [0x0A]
    }

    /// The HTML document with `confusionPNG` embedded.
    public func html(confusionPNG: [UInt8], confusionSize: (width: Int, height: Int)) -> String {
        let m = metrics, report = m.report
        var page = HTMLPage(title: "Evaluation report: \(lastPathComponent(m.checkpoint)) on \(m.split)")
        page.facts([("Checkpoint", m.checkpoint), ("Data", "\(m.data) (split \(m.split))"), ("Samples", "\(m.samples)"),
                    ("Loss", Self.format(m.loss, 4)), ("Accuracy", Self.format(m.accuracy, 4))])
        page.heading("Classification report")
        var rows = report.classes.map(Self.cells)
        rows.append(["accuracy", "", "", Self.format(report.accuracy, 4), "\(m.samples)"])
        rows.append(Self.cells(report.macroAverage))
        rows.append(Self.cells(report.weightedAverage))
        let n = report.classes.count
        page.table(headers: ["class", "precision", "recall", "f1-score", "support"], rows: rows, id: "classification-report",
                   caption: "Per class and averaged, scikit-learn's definitions (macro: unweighted mean over all classes; weighted: by support).",
                   numeric: [1, 2, 3, 4], emphasized: [n, n + 1, n + 2])
        let note = report.zeroDivisionNote
        page.note(note.isEmpty ? "No ratio was 0/0 (scikit-learn's zero_division=0 would report such cases as 0)." : note)
        page.heading("Confusion matrix")
        page.image(png: confusionPNG, width: confusionSize.width, height: confusionSize.height,
                   alt: "Confusion matrix: rows are true classes, columns predicted classes", id: "confusion")
        page.note("Rows are true classes, columns predicted classes; the shade is the share of the row's samples.")
        page.table(headers: ["true \\ predicted"] + m.classNames,
                   rows: zip(m.classNames, m.confusionMatrix).map { [$0] + $1.map(String.init) },
                   id: "confusion-matrix", numeric: Set(1...max(1, m.classNames.count)))
        page.heading("Files")
        page.paragraph("Per-sample predictions with probabilities: predictions.csv; these numbers as JSON: metrics.json.")
        return page.html
    }

    /// Writes the four files into `directory` (created if needed; each file atomically).
    public func write(to directory: String) throws {
        try FileIO.makeDirectories(directory)
        try FileIO.writeAtomically(Array(predictions.csv(sources: sources, classNames: metrics.classNames).utf8),
                                   to: joinPath(directory, "predictions.csv"))
        try FileIO.writeAtomically(metricsJSON(), to: joinPath(directory, "metrics.json"))
        let chart = confusionChart
        let png = try chart.pngData()
        try FileIO.writeAtomically(png, to: joinPath(directory, "confusion.png"))
        try FileIO.writeAtomically(Array(html(confusionPNG: png, confusionSize: (chart.width, chart.height)).utf8),
                                   to: joinPath(directory, "report.html"))
    }

    static func cells(_ row: ClassificationReport.Row) -> [String] {
        [row.name, format(row.precision, 4), format(row.recall, 4), format(row.f1, 4), "\(row.support)"]
    }

    static func format(_ value: Double, _ decimals: Int) -> String { String(format: "%.\(decimals)f", value) }
}
