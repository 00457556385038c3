import Report
import Train

/// Per run, the per-epoch series the overlay charts draw: `(epoch, value)` of `val_loss` and
/// `val_accuracy` (epochs without validation are left out).
public struct ComparisonCurves: Sendable {
    public struct Series: Sendable {
        /// The run's name (its folder name in a sweep), the chart's legend entry.
        public var name: String
        public var points: [(epoch: Int, value: Double)]
    }
    /// Metric name (`val_loss`, `val_accuracy`) → one series per run, in the runs' order.
    public var byMetric: [String: [Series]]

    public static let metrics = ["val_loss", "val_accuracy"]

    public init(runs: [RunRecord]) {
        var byMetric: [String: [Series]] = [:]
        for name in Self.metrics {
            let metric = EpochMetric(known: name)
            byMetric[name] = runs.map { run in
                Series(name: run.name, points: run.history.compactMap { r in metric.value(of: r).map { (r.epoch, $0) } })
            }.filter { !$0.points.isEmpty }
        }
        self.byMetric = byMetric
    }
}

/// The comparison's pictures, written by `sweep` and `compare` right after
/// `summary.csv`/`summary.json`: Report's `ComparisonReport` draws `curves-val_loss.png`/`.svg` and
/// `curves-val_accuracy.png`/`.svg` (every run's curve on one chart with a legend) and `report.html`
/// (the ranked table, the charts, each variant's settings) into `directory`, each file atomically.
enum ComparisonVisuals {
    /// What the pictures are drawn from.
    struct Input {
        var title: String
        /// The ranking metric (`val_loss`…).
        var metric: String
        /// The ranked table as shown: header, then one row of strings per variant (`mean ± std`).
        var columns: [String]
        var rows: [[String]]
        /// Metric name (`val_loss`, `val_accuracy`) → per run, its name and `(epoch, value)` points.
        var curves: [String: [ComparisonCurves.Series]]
        /// Each variant's settings as ordered `(name, value)` pairs, by row name, in rank order.
        var settings: [(run: String, values: [(String, String)])]
    }

    static func input(table: ComparisonTable, curves: ComparisonCurves) -> Input {
        Input(title: "\(table.rows.count) run(s) ranked by \(table.metric)", metric: table.metric,
              columns: table.displayColumns, rows: table.displayRows, curves: curves.byMetric,
              settings: table.rows.map { row in (row.name, row.settings.map { ($0.name, $0.value) }) })
    }

    static func write(table: ComparisonTable, curves: ComparisonCurves, to directory: String) throws {
        let input = input(table: table, curves: curves)
        let curves = input.curves.mapValues { series in
            series.map { ComparisonReport.Curve(name: $0.name, points: $0.points.map { (x: Double($0.epoch), y: $0.value) }) }
        }
        try ComparisonReport(title: input.title, metric: input.metric, columns: input.columns, rows: input.rows,
                             curves: curves, settings: input.settings).write(to: directory)
    }
}
