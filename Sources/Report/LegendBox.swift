/// A legend drawn outside the plot (`LineChart.LegendPlacement.right` / `.below`): every
/// series, in order, filled down each column first (as matplotlib's `ncol`), each entry a
/// swatch of the series' colour and line style followed by its name.
struct LegendBox: Sendable {
    struct Entry: Sendable { var label: String; var color: Color; var style: LineStyle }

    var entries: [Entry]
    var columns: Int

    static let size = ChartText.legend
    /// Swatch length: long enough to show two periods of the longest dash pattern.
    static let swatch = 32, padding = 6, columnGap = 16
    static let row = ChartText.lineHeight(size) + 4
    static let frame = Color(190, 190, 190)
    /// Names longer than this are shortened in the middle, keeping both ends (run names
    /// differ at either end: `lr=0.01,…` and `…,seed=2`); the report's table has them whole.
    static let maxCharacters = 64

    /// All `series` in `columns` columns.
    init(series: [LineChart.Series], columns: Int) {
        entries = series.map { Entry(label: Self.label($0), color: $0.color, style: $0.style) }
        self.columns = max(1, min(columns, entries.count))
    }

    /// All `series`, in as many columns as fit in `width` pixels (at least one).
    init(series: [LineChart.Series], fitting width: Int) {
        self.init(series: series, columns: 1)
        columns = max(1, min(entries.count, (width - 2 * Self.padding + Self.columnGap) / (entryWidth + Self.columnGap)))
    }

    /// The name as listed: shortened past `maxCharacters`, and marked when the series has no
    /// finite point (a run without validation figures), so it is listed, not silently missing.
    static func label(_ series: LineChart.Series) -> String {
        var name = series.name
        if name.count > maxCharacters {
            let keep = (maxCharacters - 2) / 2
            name = String(name.prefix(keep)) + ".." + String(name.suffix(keep))
        }
        return series.points.contains { $0.x.isFinite && $0.y.isFinite } ? name : name + " (no data)"
    }

    var rows: Int { (entries.count + columns - 1) / columns }
    var entryWidth: Int {
        Self.swatch + 6 + (entries.map { ChartText.width($0.label, size: Self.size) }.max() ?? 0)
    }
    var width: Int { 2 * Self.padding + columns * entryWidth + (columns - 1) * Self.columnGap }
    var height: Int { entries.isEmpty ? 0 : 2 * Self.padding + rows * Self.row - 4 }

    /// Where entry `i`'s swatch starts (its row's top-left).
    func origin(of i: Int, x: Int, y: Int) -> (x: Int, y: Int) {
        (x + Self.padding + (i / rows) * (entryWidth + Self.columnGap), y + Self.padding + (i % rows) * Self.row)
    }

    func draw(on drawing: inout Drawing, x: Int, y: Int) {
        guard !entries.isEmpty else { return }
        drawing.fill(x: x, y: y, width: width, height: height, .white)
        drawing.frame(x: x, y: y, width: width, height: height, Self.frame)
        for (i, entry) in entries.enumerated() {
            let o = origin(of: i, x: x, y: y)
            Self.entry(entry.label, entry.color, entry.style, x: o.x, top: o.y, on: &drawing)
        }
    }

    /// One legend row with its line box's top-left at (x, top): the swatch, a short line in
    /// the series' colour and style through the middle of the text (on a pixel boundary, so
    /// its two rows are solid colour), then the name.
    static func entry(_ label: String, _ color: Color, _ style: LineStyle, x: Int, top: Int, on drawing: inout Drawing) {
        let y = (Double(top) + (Typeface.ascent - Typeface.capHeight / 2) * size).rounded(.down)
        drawing.polyline([.init(Double(x), y), .init(Double(x + swatch), y)], color, width: 2, dash: style.dash)
        drawing.line(label, x: Double(x + swatch + 6), top: Double(top), size: size)
    }
}
