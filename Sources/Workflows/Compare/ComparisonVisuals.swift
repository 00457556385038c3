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

/// The hook between the comparison and its pictures, called by `sweep` and `compare` after
/// `summary.csv`/`summary.json` are written. The Report module's half (a separate change, wired
/// in here when it lands) draws `curves-val_loss.png` and `curves-val_accuracy.png` (every run's
/// curve on one chart with a legend) and `report.html` (the ranked table, the charts, each
/// variant's settings) into `directory`, from what is assembled below:
/// - the ranked table as `table.displayColumns` + `table.displayRows` (strings, `mean ± std`),
/// - per metric, per run a name and its `(epoch, value)` series (`curves.byMetric`),
/// - each variant's settings as ordered `(name, value)` pairs (`settings(of:)`).
/// Until then it writes nothing.
enum ComparisonVisuals {
    static func write(table: ComparisonTable, curves: ComparisonCurves, to directory: String) throws {
        _ = (title: "Comparison of \(table.rows.count) run(s) by \(table.metric)", metric: table.metric,
             columns: table.displayColumns, rows: table.displayRows, curves: curves.byMetric, settings: settings(of: table),
             directory: directory)
    }

    /// Each row's settings as ordered `(name, value)` pairs, keyed by the row's name.
    static func settings(of table: ComparisonTable) -> [(run: String, values: [(String, String)])] {
        table.rows.map { row in (row.name, row.settings.map { ($0.name, $0.value) }) }
    }
}
