import Foundation

extension LayerStatistics {
    /// Column names of `csv`, in order.
    public static let csvHeader = ["layer", "class", "samples", "mean", "variance", "zero_fraction"]

    /// One line per row: `layer,class,samples,mean,variance,zero_fraction`, numbers at full
    /// (round-trip) precision; an undefined variance is an empty field, as pandas writes NaN.
    public var csv: String {
        var out = Self.csvHeader.joined(separator: ",") + "\n"
        for row in rows {
            out += [Predictions.field(row.layer), Predictions.field(row.className), String(row.samples), "\(row.mean)",
                    row.variance.map { "\($0)" } ?? "", "\(row.zeroFraction)"].joined(separator: ",") + "\n"
        }
        return out
    }

    /// The rows as an aligned table (4 significant decimals) for the terminal, one block per layer.
    public var text: String {
        let layerWidth = max(5, rows.map(\.layer.count).max() ?? 0)
        let classWidth = max(5, rows.map { min(16, $0.className.count) }.max() ?? 0)
        func left(_ s: String, _ w: Int) -> String { s + String(repeating: " ", count: max(0, w - s.count)) }
        func right(_ s: String, _ w: Int) -> String { String(repeating: " ", count: max(0, w - s.count)) + s }
        var lines = [left("layer", layerWidth) + "  " + left("class", classWidth) + right("samples", 9) + right("mean", 12)
                     + right("variance", 12) + right("zeros", 8)]
        var previous: Int?
        for row in rows {
            if let previous, previous != row.layerIndex { lines.append("") }
            previous = row.layerIndex
            lines.append(left(row.layer, layerWidth) + "  " + left(String(row.className.prefix(16)), classWidth)
                         + right(String(row.samples), 9) + right(String(format: "%.4g", row.mean), 12)
                         + right(row.variance.map { String(format: "%.4g", $0) } ?? "-", 12)
                         + right(String(format: "%.1f%%", row.zeroFraction * 100), 8))
        }
        return lines.joined(separator: "\n")
    }
}
