import DataPrep

/// The end-of-run table of `split` and `merge-cifar`: one row per class, one column per split.
enum SummaryText {
    static func render(_ summary: SplitSummary) -> String {
        var lines: [String] = []
        lines.append("wrote \(summary.output)  (source format \(summary.format), seed \(summary.seed))")
        let header = ["class"] + summary.splits.map(\.name) + ["total"]
        var rows: [[String]] = []
        for (c, name) in summary.classNames.enumerated() {
            let counts = summary.splits.map { $0.histogram.indices.contains(c) ? $0.histogram[c] : 0 }
            rows.append(["\(c) \(name)"] + counts.map(String.init) + [String(counts.reduce(0, +))])
        }
        let totals = summary.splits.map(\.count)
        rows.append(["total"] + totals.map(String.init) + [String(totals.reduce(0, +))])
        lines += table(header: header, rows: rows)
        if let n = summary.normalization {
            let fitted = if case .standard = n { "fitted on the train split, " } else { "" }
            lines.append("images: uint8; normalization \(n.summary) (\(fitted)recorded in dataset.json, applied by train)")
        } else {
            lines.append("images: uint8")
        }
        for short in summary.shortClasses {
            lines.append("warning: class '\(short.className)' had only \(short.available) samples; it was split in the same proportions (--allow-short)")
        }
        if summary.duplicateGroups > 0 {
            var text = "duplicates: \(summary.duplicateGroups) sets of identical images"
            if summary.duplicatesRemoved > 0 { text += "; \(summary.duplicatesRemoved) extra copies removed (--dedupe)" }
            else if summary.duplicatesAcrossSplits > 0 { text += "; \(summary.duplicatesAcrossSplits) sets span several splits (leakage: rerun with --dedupe)" }
            if summary.duplicatesWithConflictingLabels > 0 { text += "; \(summary.duplicatesWithConflictingLabels) sets carry different labels" }
            lines.append(text)
            for example in summary.duplicateExamples.prefix(3) { lines.append("  e.g. " + example.joined(separator: " = ")) }
        } else {
            lines.append("duplicates: none")
        }
        if !summary.skipped.isEmpty {
            lines.append("skipped \(summary.skipped.count) unreadable files:")
            for file in summary.skipped.prefix(10) { lines.append("  " + DisplayText.escaped("\(file.path): \(file.reason)")) }
            if summary.skipped.count > 10 { lines.append("  … and \(summary.skipped.count - 10) more (see --json)") }
        }
        lines += summary.notes
        return lines.joined(separator: "\n")
    }

    /// Left-aligned first column, right-aligned numbers.
    static func table(header: [String], rows: [[String]]) -> [String] {
        let all = [header] + rows
        let widths = header.indices.map { col in all.map { $0[col].count }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { col, cell in
                let pad = String(repeating: " ", count: widths[col] - cell.count)
                return col == 0 ? cell + pad : pad + cell
            }.joined(separator: "  ")
        }
    }
}
