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

/// The hook between the comparison and its pictures, called by `sweep` and `compare` right
/// after `summary.csv`/`summary.json` are written. The Report module's half (a separate change,
/// wired in here when it lands: `ComparisonReport(title:metric:columns:rows:curves:settings:)
/// .write(to:)` from the fields of `Input`) draws `curves-val_loss.png` and
/// `curves-val_accuracy.png` (every run's curve on one chart with a legend) and `report.html`
/// (the ranked table, the charts, each variant's settings) into `directory`.
/// Until then it writes nothing.
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
        _ = input(table: table, curves: curves)
    }
}
