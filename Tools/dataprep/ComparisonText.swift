import Workflows

/// The comparison table as aligned text for the terminal (the CSV and JSON hold full precision).
enum ComparisonText {
    static func render(_ table: ComparisonTable) -> String {
        let lines = [table.displayColumns] + table.displayRows
        let widths = table.displayColumns.indices.map { column in lines.map { $0[column].count }.max() ?? 0 }
        return lines.map { fields in
            zip(fields, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n")
    }
}
