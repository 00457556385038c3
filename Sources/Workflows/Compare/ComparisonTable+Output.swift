import DataPrep
import Foundation

extension ComparisonTable {
    /// The CSV header: rank, name, one column per setting, the figures, and with several
    /// seeds a `_std` column after each figure that has one.
    public var csvHeader: [String] {
        ["rank", "name"] + settingNames + Self.figureColumns.flatMap { column in
            hasStd(column) ? [column, column + "_std"] : [column]
        }
    }

    private func hasStd(_ column: String) -> Bool { rows.contains { $0.std?[column] != nil } }

    /// Each row's CSV fields: numbers in full (Swift's shortest exact form, so they equal the
    /// runs' history.json), empty where a run has no such figure.
    public var csvRows: [[String]] {
        rows.map { row in
            let settings = settingNames.map { name in row.settings.first { $0.name == name }?.value ?? "" }
            let figures = Self.figureColumns.flatMap { column -> [String] in
                let value = Self.text(row.figure(column))
                return hasStd(column) ? [value, Self.text(row.std?[column])] : [value]
            }
            return ["\(row.rank)", row.name] + settings + figures
        }
    }

    /// The ranked table as the report shows it: figures rounded, `mean ± std` with several seeds.
    public var displayColumns: [String] { ["rank", "name"] + settingNames + Self.figureColumns }

    public var displayRows: [[String]] {
        rows.map { row in
            let settings = settingNames.map { name in row.settings.first { $0.name == name }?.value ?? "" }
            let figures = Self.figureColumns.map { column -> String in
                guard let value = row.figure(column) else { return "" }
                let digits = ["parameters", "seeds"].contains(column) ? "%.0f" : column == "best_epoch" || column == "wall_seconds" ? "%.1f" : "%.4f"
                let shown = column == "best_epoch" && row.seeds == 1 ? String(Int(value)) : String(format: digits, value)
                return row.std?[column].map { shown + " ± " + String(format: digits, $0) } ?? shown
            }
            return ["\(row.rank)", row.name] + settings + figures
        }
    }

    /// Writes `summary.csv` and `summary.json` into `directory`, each atomically; `failed`
    /// (variants whose loss diverged) is listed in the JSON.
    public func write(to directory: String, failed: [String: String] = [:]) throws {
        let csv = ([csvHeader] + csvRows).map { $0.map(Self.csvField).joined(separator: ",") }.joined(separator: "\n") + "\n"
        try FileIO.writeAtomically(Array(csv.utf8), to: joinPath(directory, "summary.csv"))
        try FileIO.writeAtomically(Array(try JSONEncoder.sortedPretty.encode(summary(failed: failed))) + [10], to: joinPath(directory, "summary.json"))
    }

    /// What `summary.json` (and `--json`) holds.
    public func summary(failed: [String: String] = [:]) -> Summary {
        Summary(metric: metric, rows: rows, failed: failed.isEmpty ? nil : failed)
    }

    /// `summary.json`.
    public struct Summary: Codable, Sendable {
        public var metric: String
        public var rows: [Row]
        public var failed: [String: String]?
    }

    static func text(_ value: Double?) -> String {
        guard let value else { return "" }
        return value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : "\(value)"
    }

    /// RFC 4180: a field with a comma, quote or newline is quoted, quotes doubled.
    static func csvField(_ field: String) -> String {
        field.contains(where: { ",\"\n\r".contains($0) }) ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
    }
}

extension ComparisonTable.Row {
    /// A figure by its CSV column name.
    public func figure(_ column: String) -> Double? {
        switch column {
        case "parameters": return Double(parameters)
        case "seeds": return Double(seeds)
        case "best_epoch": return bestEpoch
        case "loss": return loss
        case "accuracy": return accuracy
        case "val_loss": return valLoss
        case "val_accuracy": return valAccuracy
        case "test_loss": return testLoss
        case "test_accuracy": return testAccuracy
        case "wall_seconds": return wallSeconds
        default: return nil
        }
    }
}
