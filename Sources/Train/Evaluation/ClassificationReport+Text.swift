import Foundation

extension ClassificationReport {
    /// The report laid out as scikit-learn's `classification_report` prints it (4 decimals),
    /// followed by the zero-division footnote when one applies.
    public var text: String {
        let nameWidth = max(12, (classes.map(\.name.count) + [12]).max()!)
        func pad(_ s: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - s.count)) + s }
        func line(_ row: Row) -> String {
            pad(row.name, nameWidth) + [row.precision, row.recall, row.f1].map { pad(String(format: "%.4f", $0), 10) }.joined()
                + pad("\(row.support)", 10)
        }
        var lines = [pad("", nameWidth) + ["precision", "recall", "f1-score", "support"].map { pad($0, 10) }.joined(), ""]
        lines += classes.map(line)
        lines.append("")
        lines.append(pad("accuracy", nameWidth) + pad("", 20) + pad(String(format: "%.4f", accuracy), 10)
                     + pad("\(macroAverage.support)", 10))
        lines.append(line(macroAverage))
        lines.append(line(weightedAverage))
        if !zeroDivisionNote.isEmpty { lines += ["", "note: " + zeroDivisionNote] }
        return lines.joined(separator: "\n")
    }
}

extension ConfusionMatrix {
    /// The matrix as an aligned text table, rows true and columns predicted, headed by
    /// `classNames` (cut to 8 characters).
    public func text(classNames: [String]) -> String {
        let names = classNames.map { String($0.prefix(8)) }
        let width = max(6, (names.map(\.count) + [String(counts.max() ?? 0).count]).max()! + 1)
        let rowWidth = max(12, (names.map(\.count)).max()! + 2)
        func pad(_ s: String, _ w: Int) -> String { String(repeating: " ", count: max(0, w - s.count)) + s }
        var lines = [pad("true\\pred", rowWidth) + names.map { pad($0, width) }.joined()]
        for t in 0..<classes {
            lines.append(pad(names[t], rowWidth) + row(t).map { pad(String($0), width) }.joined())
        }
        return lines.joined(separator: "\n")
    }
}
