/// A legend drawn outside the plot (`LineChart.LegendPlacement.right` / `.below`): every
/// series, in order, filled down each column first (as matplotlib's `ncol`), each entry a
/// swatch of the series' colour and line style followed by its name.
struct LegendBox: Sendable {
    struct Entry: Sendable { var label: String; var color: Color; var style: LineStyle }

    var entries: [Entry]
    var columns: Int

    static let scale = LineChart.scale
    /// Swatch length: long enough to show two periods of the longest dash pattern.
    static let swatch = 32, padding = 6, columnGap = 16
    static let row = Canvas.textHeight(scale: scale) + 6
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
        Self.swatch + 6 + (entries.map { Canvas.textWidth($0.label, scale: Self.scale) }.max() ?? 0)
    }
    var width: Int { 2 * Self.padding + columns * entryWidth + (columns - 1) * Self.columnGap }
    var height: Int { entries.isEmpty ? 0 : 2 * Self.padding + rows * Self.row - 6 }

    /// Where entry `i`'s swatch starts (its row's top-left).
    func origin(of i: Int, x: Int, y: Int) -> (x: Int, y: Int) {
        (x + Self.padding + (i / rows) * (entryWidth + Self.columnGap), y + Self.padding + (i % rows) * Self.row)
    }

    func draw(on canvas: inout Canvas, x: Int, y: Int) {
        guard !entries.isEmpty else { return }
        canvas.fill(x: x, y: y, width: width, height: height, .white)
        canvas.stroke(x: x, y: y, width: width, height: height, Self.frame)
        let glyph = Canvas.textHeight(scale: Self.scale)
        for (i, entry) in entries.enumerated() {
            let o = origin(of: i, x: x, y: y), mid = o.y + glyph / 2 - 1
            var phase = 0
            canvas.line(from: (o.x, mid), to: (o.x + Self.swatch - 1, mid), entry.color, thickness: 2, style: entry.style, phase: &phase)
            canvas.text(entry.label, x: o.x + Self.swatch + 6, y: o.y, scale: Self.scale)
        }
    }
}
