import DataPrep
import Foundation
import Train

/// The ranked comparison of runs: one row per variant (its runs over `--repeat` seeds
/// averaged), with the figures of each run's best epoch by the metric. Ranked best first by
/// the metric's (mean) value at the best epoch; ties keep the runs' order.
public struct ComparisonTable: Codable, Sendable {
    public let metric: String
    /// The setting names over all rows, in first-seen order (the CSV's setting columns).
    public let settingNames: [String]
    public let rows: [Row]

    /// One variant's figures. With several seeds each figure is the mean over them and `std`
    /// holds the sample standard deviation (n − 1 in the denominator) of each, by column name.
    public struct Row: Codable, Sendable {
        public var rank: Int
        public var name: String
        /// The run folders averaged (one without `--repeat`).
        public var runs: [String]
        public var settings: [SweepSettings.Setting]
        public var parameters: Int
        public var seeds: Int
        /// 1-based; a mean with several seeds.
        public var bestEpoch: Double
        /// The metric's value at the best epoch (the ranking key).
        public var metricValue: Double
        public var loss: Double
        public var accuracy: Double
        public var valLoss: Double?
        public var valAccuracy: Double?
        public var testLoss: Double?
        public var testAccuracy: Double?
        public var wallSeconds: Double
        public var std: [String: Double]?
    }

    /// The columns shared by every row after the settings, as the CSV names them.
    public static let figureColumns = ["parameters", "seeds", "best_epoch", "loss", "accuracy", "val_loss", "val_accuracy",
                                       "test_loss", "test_accuracy", "wall_seconds"]

    /// Groups `runs` by variant (`RunRecord.group`, first appearance order) and ranks them.
    /// - Throws: `WorkflowError.invalidRequest` when a run has no epoch with the metric
    ///   (`val_loss` of a run trained without validation).
    public init(runs: [RunRecord], metric: EpochMetric) throws {
        var groups: [(name: String, runs: [RunRecord])] = []
        for run in runs {
            if let i = groups.firstIndex(where: { $0.name == run.group }) { groups[i].runs.append(run) } else { groups.append((run.group, [run])) }
        }
        var rows = try groups.map { try Self.row(name: $0.name, runs: $0.runs, metric: metric) }
        let order = rows.indices.sorted { a, b in
            let x = rows[a].metricValue, y = rows[b].metricValue
            return x != y ? metric.isBetter(x, than: y) : a < b
        }
        rows = order.enumerated().map { rank, index in var row = rows[index]; row.rank = rank + 1; return row }
        var names: [String] = []
        for row in rows { for setting in row.settings where !names.contains(setting.name) { names.append(setting.name) } }
        self.metric = metric.name
        self.settingNames = names
        self.rows = rows
    }

    private static func row(name: String, runs: [RunRecord], metric: EpochMetric) throws -> Row {
        var columns: [String: [Double]] = [:]
        for run in runs {
            guard let best = metric.bestEpoch(in: run.history) else {
                throw WorkflowError.invalidRequest("\(run.directory): no epoch has \(metric.name) (was it trained without validation?): choose another --metric")
            }
            let figures: [(String, Double?)] = [
                ("best_epoch", Double(best.epoch)), ("metric", metric.value(of: best)), ("loss", best.loss), ("accuracy", best.accuracy),
                ("val_loss", best.validationLoss), ("val_accuracy", best.validationAccuracy),
                ("test_loss", run.test?.loss), ("test_accuracy", run.test?.accuracy), ("wall_seconds", run.wallSeconds)]
            for (column, value) in figures { if let value { columns[column, default: []].append(value) } }
        }
        // A figure only some seeds have (a test split evaluated for some) is left out rather than averaged over fewer.
        func mean(_ column: String) -> Double? {
            guard let values = columns[column], values.count == runs.count else { return nil }
            return values.reduce(0, +) / Double(values.count)
        }
        var std: [String: Double]?
        if runs.count > 1 {
            std = [:]
            for (column, values) in columns where values.count == runs.count && column != "metric" {
                let m = values.reduce(0, +) / Double(values.count)
                std![column] = (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count - 1)).squareRoot()
            }
        }
        let first = runs[0]
        return Row(rank: 0, name: name, runs: runs.map(\.directory), settings: first.sweep?.settings.values ?? [],
                   parameters: first.parameters, seeds: runs.count, bestEpoch: mean("best_epoch")!, metricValue: mean("metric")!,
                   loss: mean("loss")!, accuracy: mean("accuracy")!, valLoss: mean("val_loss"), valAccuracy: mean("val_accuracy"),
                   testLoss: mean("test_loss"), testAccuracy: mean("test_accuracy"), wallSeconds: mean("wall_seconds")!, std: std)
    }
}
