import DataPrep

/// The human-readable rendering of a `DatasetReport`: a header, a split table, and a
/// per-class histogram with one column per split.
enum ReportText {
    static func render(_ report: DatasetReport) -> String {
        var lines = ["\(report.path)", "  format: \(report.format)   dtype: \(report.dtype)"]
        for key in report.details.keys.sorted() { lines.append("  \(key): \(report.details[key]!)") }
        var table = [["split", "count", "shape (HxWxC)"]]
        for split in report.splits {
            table.append([split.name, "\(split.count)", shapeText(split)])
        }
        lines += align(table, rightAligned: [1]).map { "  " + $0 }
        if !report.classNames.isEmpty {
            lines.append("  classes (\(report.classNames.count)):")
            lines += histogramTable(names: report.classNames, columns: report.splits.map { ($0.name, $0.histogram) })
        }
        if let coarse = report.coarseClassNames {
            lines.append("  superclasses (\(coarse.count)):")
            lines += histogramTable(names: coarse, columns: report.splits.map { ($0.name, $0.coarseHistogram ?? []) })
        }
        if !report.skipped.isEmpty {
            lines.append("  skipped \(report.skipped.count) file(s):")
            for file in report.skipped.prefix(20) { lines.append("    " + DisplayText.escaped("\(file.path): \(file.reason)")) }
            if report.skipped.count > 20 { lines.append("    ... and \(report.skipped.count - 20) more (see --json)") }
        }
        return lines.joined(separator: "\n")
    }

    private static func shapeText(_ split: SplitReport) -> String {
        if let shape = split.shape { return shape.map(String.init).joined(separator: "x") }
        guard let s = split.sizes else { return "-" }
        let mode = s.grayCount == 0 ? "RGB" : s.colorCount == 0 ? "gray" : "\(s.colorCount) RGB + \(s.grayCount) gray"
        return "varies: \(s.minWidth)x\(s.minHeight) .. \(s.maxWidth)x\(s.maxHeight) (WxH), \(mode)"
    }

    private static func histogramTable(names: [String], columns: [(String, [Int])]) -> [String] {
        var table = [["label", "class"] + columns.map(\.0)]
        for (label, name) in names.enumerated() {
            table.append(["\(label)", name] + columns.map { label < $0.1.count ? "\($0.1[label])" : "-" })
        }
        return align(table, rightAligned: Set(2..<table[0].count)).map { "    " + $0 }
    }

    /// Pads columns to equal width; the `rightAligned` (numeric) columns are right-aligned.
    private static func align(_ rows: [[String]], rightAligned: Set<Int>) -> [String] {
        let widths = (0..<(rows.map(\.count).max() ?? 0)).map { col in rows.map { col < $0.count ? $0[col].count : 0 }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { col, cell in
                let pad = String(repeating: " ", count: widths[col] - cell.count)
                return rightAligned.contains(col) ? pad + cell : cell + pad
            }.joined(separator: "  ").trimmingSuffixSpaces()
        }
    }
}

extension String {
    /// The string without trailing spaces (the last column's padding).
    func trimmingSuffixSpaces() -> String {
        var s = Substring(self)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
