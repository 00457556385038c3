import DataPrep
import Foundation
import Train

/// What `dataprep evaluate` leaves in its output folder:
///
/// ```
/// predictions.csv  index,source,true,predicted,p_<class>… — one row per sample, dataset order
/// metrics.json     EvaluationMetrics: loss, accuracy, confusion matrix, classification report
/// confusion.png    the confusion matrix heat map (rendered by cairo)
/// confusion.svg    the same chart as SVG
/// report.html      all of it on one self-contained page, the chart inline as SVG
/// ```
public struct EvaluationReport: Sendable {
    public var metrics: EvaluationMetrics
    public var predictions: Predictions
    /// Where each sample came from (path or `file#record`), aligned with the predictions.
    public var sources: [String]

    public init(metrics: EvaluationMetrics, predictions: Predictions, sources: [String]) {
        self.metrics = metrics; self.predictions = predictions; self.sources = sources
    }

    public static let files = ["predictions.csv", "metrics.json", "confusion.png", "confusion.svg", "report.html"]

    /// The heat map of the confusion matrix.
    public var confusionChart: ConfusionMatrixChart {
        ConfusionMatrixChart(matrix: predictions.confusionMatrix, classNames: metrics.classNames,
                             title: "Confusion matrix, \(metrics.split) (n=\(metrics.samples))")
    }

    /// The heat map, rendered.
    public func confusion() throws -> RenderedChart {
        try RenderedChart(confusionChart.drawing(), title: "Confusion matrix: rows are true classes, columns predicted classes")
    }

    /// `metrics.json`: pretty, key-sorted.
    public func metricsJSON() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(metrics)) + [0x0A]
    }

    /// The HTML document with `confusion` inline as SVG.
    public func html(confusion: RenderedChart) -> String {
        let m = metrics, report = m.report
        var page = HTMLPage(title: "Evaluation report: \(lastPathComponent(m.checkpoint)) on \(m.split)")
        page.facts([("Checkpoint", m.checkpoint), ("Data", "\(m.data) (split \(m.split))"), ("Samples", "\(m.samples)"),
                    ("Loss", Self.format(m.loss, 4) + (m.penalty > 0 ? " (data \(Self.format(m.dataLoss, 4)) + L1/L2 penalty \(Self.format(m.penalty, 4)), as Keras's evaluate)" : "")),
                    ("Accuracy", Self.format(m.accuracy, 4))])
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
        page.chart(confusion, id: "confusion")
        page.note("Rows are true classes, columns predicted classes; the shade is the share of the row's samples.")
        page.table(headers: ["true \\ predicted"] + m.classNames,
                   rows: zip(m.classNames, m.confusionMatrix).map { [$0] + $1.map(String.init) },
                   id: "confusion-matrix", numeric: Set(1...max(1, m.classNames.count)))
        page.heading("Files")
        page.paragraph("Per-sample predictions with probabilities: predictions.csv; these numbers as JSON: metrics.json.")
        return page.html
    }

    /// Checks, before the evaluation runs, that `directory` may receive one: absent or empty, or
    /// an earlier evaluation (it holds `metrics.json`) when `overwrite` is set. Anything else is
    /// refused whatever `overwrite` says.
    /// - Throws: `TrainError.outputRefused` naming the folder and what to do.
    public static func checkOutput(_ directory: String, overwrite: Bool) throws {
        guard FileIO.exists(directory) else { return }
        guard FileIO.isDirectory(directory) else {
            throw TrainError.outputRefused(path: directory, reason: "exists and is not a folder; choose another --out")
        }
        let entries = try FileIO.listAll(directory).filter { !($0.hasPrefix(".") && $0.contains(".partial-")) }
        if entries.isEmpty { return }
        guard isEvaluation(directory) else {
            throw TrainError.outputRefused(path: directory, reason: "exists and is not an evaluation folder (it holds \(entries.sorted().prefix(3).joined(separator: ", "))): "
                + "refusing to write into it; choose another --out")
        }
        guard overwrite else {
            throw TrainError.outputRefused(path: directory, reason: "holds an earlier evaluation: replace it with --overwrite, or write elsewhere with --out")
        }
    }

    /// An evaluation folder: one that holds `metrics.json`.
    static func isEvaluation(_ directory: String) -> Bool { FileIO.exists(joinPath(directory, "metrics.json")) }

    /// Writes the five files into `directory` as a whole: built in a hidden sibling and renamed
    /// into place (`StagedDirectory`), replacing an earlier evaluation there (check first with
    /// `checkOutput`); never anything else.
    public func write(to directory: String) throws {
        let staged = try StagedDirectory(finalPath: directory) { Self.isEvaluation($0) }
        do {
            try writeFiles(to: staged.stagingPath)
            try staged.commit()
        } catch {
            staged.discard()
            throw error
        }
    }

    private func writeFiles(to directory: String) throws {
        try FileIO.writeAtomically(Array(predictions.csv(sources: sources, classNames: metrics.classNames).utf8),
                                   to: joinPath(directory, "predictions.csv"))
        try FileIO.writeAtomically(metricsJSON(), to: joinPath(directory, "metrics.json"))
        let chart = try confusion()
        try chart.write(to: directory, name: "confusion")
        try FileIO.writeAtomically(Array(html(confusion: chart).utf8), to: joinPath(directory, "report.html"))
    }

    static func cells(_ row: ClassificationReport.Row) -> [String] {
        [row.name, format(row.precision, 4), format(row.recall, 4), format(row.f1, 4), "\(row.support)"]
    }

    static func format(_ value: Double, _ decimals: Int) -> String { String(format: "%.\(decimals)f", value) }
}
