import DataPrep
import Foundation

/// The page comparing runs (`dataprep sweep` and `dataprep compare`): the ranked table, one
/// overlay chart per curve key (inline SVG; also `curves-val_loss.png`/`.svg`, …) and each
/// run's settings, written as `report.html` beside the chart files.
public struct ComparisonReport: Sendable {
    /// One run's curve of one metric. Epochs without a value are simply left out of `points`
    /// (the line joins its neighbours); a non-finite value breaks the line.
    public struct Curve: Sendable {
        public var name: String
        public var points: [(x: Double, y: Double)]

        public init(name: String, points: [(x: Double, y: Double)]) { self.name = name; self.points = points }
    }

    public var title: String
    /// The column the rows are ranked by (highlighted in the table; its chart comes first).
    public var metric: String
    public var columns: [String]
    /// Already ranked by the caller; shown in this order.
    public var rows: [[String]]
    /// Curve key (`val_loss`) → one curve per run, in legend order.
    public var curves: [String: [Curve]]
    public var settings: [(run: String, values: [(String, String)])]

    public init(title: String, metric: String, columns: [String], rows: [[String]], curves: [String: [Curve]],
                settings: [(run: String, values: [(String, String)])]) {
        self.title = title; self.metric = metric; self.columns = columns; self.rows = rows
        self.curves = curves; self.settings = settings
    }

    /// The curve keys in page order: the ranking metric's first, then the others sorted.
    public var chartKeys: [String] {
        curves.keys.sorted { a, b in a == metric ? b != metric : b == metric ? false : a < b }
    }

    /// `curves-KEY` (the chart's files add `.png` and `.svg`).
    public static func chartName(_ key: String) -> String { "curves-\(key)" }

    /// `curves-KEY.png`.
    public static func chartFile(_ key: String) -> String { chartName(key) + ".png" }

    /// The overlay of `key`'s curves: titled by what the key measures, y from 0 for losses
    /// and 0...1 for accuracies, as the training curves.
    public func chart(for key: String) -> LineChart {
        let (title, yLimits) = Self.describe(key)
        return .overlay(title: title, yLabel: key, curves: (curves[key] ?? []).map { ($0.name, $0.points) }, yLimits: yLimits)
    }

    /// Title and y range of a curve key: Keras's history names read as words.
    static func describe(_ key: String) -> (title: String, yLimits: ClosedRange<Double>?) {
        let validation = key.hasPrefix("val_"), measure = validation ? String(key.dropFirst(4)) : key
        let yLimits: ClosedRange<Double>? = measure.hasSuffix("accuracy") ? 0...1 : measure.hasSuffix("loss") ? 0...Double.greatestFiniteMagnitude : nil
        guard measure == "loss" || measure == "accuracy" else { return (key, yLimits) }
        return ((validation ? "Validation " : "Training ") + measure, yLimits)
    }

    /// Every chart of `chartKeys`, rendered, with its key.
    public func renderCharts() throws -> [(key: String, chart: RenderedChart)] {
        try chartKeys.map { key in
            (key, try RenderedChart(chart(for: key).drawingFitted(), title: "\(Self.describe(key).title) per epoch, one line per run"))
        }
    }

    /// The HTML document with `charts` inline as SVG.
    public func html(charts: [(key: String, chart: RenderedChart)]) -> String {
        var page = HTMLPage(title: title)
        page.heading("Ranking")
        let metricColumn = columns.firstIndex(of: metric)
        page.table(headers: columns, rows: rows, id: "ranking",
                   caption: metricColumn == nil ? "\(rows.count) runs" : "\(rows.count) runs, ranked by \(metric) (highlighted)",
                   numeric: Self.numericColumns(rows, count: columns.count), highlighted: metricColumn.map { [$0] } ?? [])
        page.heading("Curves")
        for (key, chart) in charts { page.chart(chart, id: Self.chartName(key)) }
        if !charts.isEmpty {
            page.note("Also written beside this page: " + charts.map { Self.chartName($0.key) + ".png/.svg" }.joined(separator: ", ") + ".")
        }
        page.heading("Settings")
        for run in settings {
            page.heading(run.run, level: 3)
            if run.values.isEmpty { page.note("No settings recorded.") } else { page.facts(run.values) }
        }
        return page.html
    }

    /// Columns whose every filled cell starts with a number (right-aligned in the table).
    static func numericColumns(_ rows: [[String]], count: Int) -> Set<Int> {
        Set((0..<count).filter { column in
            let cells = rows.compactMap { column < $0.count ? $0[column] : nil }.filter { !$0.isEmpty && $0 != "–" && $0 != "-" }
            return !cells.isEmpty && cells.allSatisfy { Double($0.split(separator: " ").first ?? "") != nil }
        })
    }

    /// Writes `curves-KEY.png` and `.svg` for each curve key and `report.html` into `directory` (created
    /// if missing), each file atomically.
    /// - Throws: `DataPrepError.unsupported` for a key that is not a plain file-name part
    ///   (letters, digits, `_`, `-`, `.`), before anything is written; I/O errors.
    public func write(to directory: String) throws {
        for key in curves.keys where key.isEmpty || key.hasPrefix(".") || !key.unicodeScalars.allSatisfy(Self.keyCharacters.contains) {
            throw DataPrepError.unsupported(path: joinPath(directory, Self.chartFile(key)),
                                            reason: "a curve key names a file: only letters, digits, '_', '-' and '.' (not first) may appear in it")
        }
        try FileIO.makeDirectories(directory)
        let charts = try renderCharts()
        for (key, chart) in charts { try chart.write(to: directory, name: Self.chartName(key)) }
        try FileIO.writeAtomically(Array(html(charts: charts).utf8), to: joinPath(directory, "report.html"))
    }

    static let keyCharacters = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.")
}
