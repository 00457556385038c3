/// A line chart with axes, ticks, grid, axis titles and a legend: the building block of the
/// training curves and of the overlays comparing runs. Values are plotted as given; points that
/// are not finite break the line.
public struct LineChart: Sendable {
    /// One named line.
    public struct Series: Sendable {
        public var name: String
        public var color: Color
        public var style: LineStyle
        public var points: [(x: Double, y: Double)]

        public init(name: String, color: Color, style: LineStyle = .solid, points: [(x: Double, y: Double)]) {
            self.name = name; self.color = color; self.style = style; self.points = points
        }
    }

    /// Where the legend goes.
    public enum LegendPlacement: Sendable {
        /// Boxed in the plot corner covering the fewest line pixels; series without points are
        /// left out (two or three series: the training curves).
        case inside
        /// A column right of the plot, every series listed (many series: nothing hidden).
        case right
        /// Columns under the x-axis title, every series listed (long names).
        case below
    }

    /// Which points get a 5x5 marker.
    public enum Markers: Sendable {
        /// All of them (few series: the epochs stay countable).
        case everyPoint
        /// Only points with no finite neighbour, which no line segment would show (many series:
        /// markers everywhere would bury the lines, as matplotlib's `plot` draws none).
        case isolatedPoints
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var series: [Series]
    /// Only whole-number x ticks (epochs).
    public var integralX = true
    /// Clamp the y axis to this range (e.g. 0...1 for accuracy); nil follows the data.
    public var yLimits: ClosedRange<Double>?
    public var legend = LegendPlacement.inside
    public var markers = Markers.everyPoint

    public init(title: String, xLabel: String, yLabel: String, series: [Series], yLimits: ClosedRange<Double>? = nil) {
        self.title = title; self.xLabel = xLabel; self.yLabel = yLabel; self.series = series; self.yLimits = yLimits
    }

    /// Text scale (the font's 3x5 glyphs drawn 2x: 6x10 pixels).
    static let scale = 2

    /// Where the plot area sits inside a canvas of `width` x `height`, its ticks, and where the
    /// titles and an outside legend go.
    public struct Layout: Sendable {
        public var plotX: Int, plotY: Int, plotWidth: Int, plotHeight: Int
        public var xTicks: AxisTicks, yTicks: AxisTicks
        /// Top of the x-axis title.
        public var xLabelY: Int
        /// Top-left corner of a `.right` or `.below` legend (unused for `.inside`).
        public var legendX: Int, legendY: Int
        /// The legend's box, for `.right` and `.below`.
        var legendBox: LegendBox?

        /// The pixel of data point (x, y).
        public func pixel(x: Double, y: Double) -> (x: Int, y: Int) {
            let fx = (x - xTicks.lower) / (xTicks.upper - xTicks.lower)
            let fy = (y - yTicks.lower) / (yTicks.upper - yTicks.lower)
            return (plotX + Int((fx * Double(plotWidth - 1)).rounded()),
                    plotY + plotHeight - 1 - Int((fy * Double(plotHeight - 1)).rounded()))
        }
    }

    /// The axes' ticks, from the finite points and `yLimits`.
    func ticks() -> (x: AxisTicks, y: AxisTicks) {
        let finite = series.flatMap(\.points).filter { $0.x.isFinite && $0.y.isFinite }
        let xs = finite.map(\.x), ys = finite.map(\.y)
        var yLow = ys.min() ?? 0, yHigh = ys.max() ?? 1
        if let yLimits { yLow = max(yLow, yLimits.lowerBound); yHigh = min(max(yHigh, yLow), yLimits.upperBound) }
        let xTicks = AxisTicks(low: xs.min() ?? 1, high: xs.max() ?? 1, target: 6, integral: integralX)
        var yTicks = AxisTicks(low: yLow, high: yHigh, target: 6)
        if let yLimits {
            yTicks.lower = max(yTicks.lower, yLimits.lowerBound)
            yTicks.upper = min(yTicks.upper, yLimits.upperBound)
        }
        return (xTicks, yTicks)
    }

    /// Space around the plot for the title, tick labels and axis titles (no outside legend).
    func margins(yTicks: AxisTicks) -> (left: Int, top: Int, bottom: Int, right: Int) {
        let s = Self.scale, glyph = Canvas.textHeight(scale: s)
        let yLabelWidth = yTicks.values.map { Canvas.textWidth(yTicks.label($0), scale: s) }.max() ?? 0
        return (glyph + 10 + yLabelWidth + 8, glyph + 16, 2 * glyph + 22, 16)
    }

    /// Gap between the plot frame (or the x-axis title) and an outside legend, and between the
    /// legend and the canvas edge.
    static let legendGap = 16, legendMargin = 8

    /// The plot area and ticks for a canvas of the given size.
    public func layout(width: Int, height: Int) -> Layout {
        let (xTicks, yTicks) = ticks()
        var (left, top, bottom, right) = margins(yTicks: yTicks)
        let glyph = Canvas.textHeight(scale: Self.scale)
        var box: LegendBox?
        switch legend {
        case .inside: break
        case .right:
            box = LegendBox(series: series, columns: 1)
            right = Self.legendGap + box!.width + Self.legendMargin
        case .below:
            box = LegendBox(series: series, fitting: width - 2 * Self.legendMargin)
            bottom += box!.height + Self.legendMargin + 4
        }
        let plotWidth = max(10, width - left - right), plotHeight = max(10, height - top - bottom)
        let plotBottom = top + plotHeight
        let legendX = legend == .right ? left + plotWidth + Self.legendGap : (width - (box?.width ?? 0)) / 2
        let legendY = legend == .right ? top : plotBottom + 2 * glyph + 22 + 4
        return Layout(plotX: left, plotY: top, plotWidth: plotWidth, plotHeight: plotHeight, xTicks: xTicks, yTicks: yTicks,
                      xLabelY: plotBottom + glyph + 18, legendX: legendX, legendY: legendY, legendBox: box)
    }

    /// The canvas size that gives the plot area `plotWidth` x `plotHeight` pixels with room
    /// for the legend (a right legend taller than the plot makes the canvas, and so the plot,
    /// taller).
    public func fittedSize(plotWidth: Int, plotHeight: Int) -> (width: Int, height: Int) {
        let (left, top, bottom, right) = margins(yTicks: ticks().y)
        switch legend {
        case .inside:
            return (left + plotWidth + right, top + plotHeight + bottom)
        case .right:
            let box = LegendBox(series: series, columns: 1)
            return (left + plotWidth + Self.legendGap + box.width + Self.legendMargin,
                    top + max(plotHeight + bottom, box.height + Self.legendMargin))
        case .below:
            let width = left + plotWidth + right
            let box = LegendBox(series: series, fitting: width - 2 * Self.legendMargin)
            return (width, top + plotHeight + bottom + box.height + Self.legendMargin + 4)
        }
    }

    /// The chart drawn on a new canvas.
    public func render(width: Int = 480, height: Int = 360) -> Canvas {
        var canvas = Canvas(width: width, height: height)
        let l = layout(width: width, height: height), s = Self.scale, glyph = Canvas.textHeight(scale: s)
        canvas.text(title, x: width / 2, y: 6, scale: s, anchor: .center)
        // Grid and tick labels.
        for v in l.yTicks.values where v >= l.yTicks.lower - 1e-12 && v <= l.yTicks.upper + 1e-12 {
            let p = l.pixel(x: l.xTicks.lower, y: v)
            canvas.fill(x: l.plotX, y: p.y, width: l.plotWidth, height: 1, .grid)
            canvas.fill(x: l.plotX - 5, y: p.y, width: 5, height: 1, .ink)
            canvas.text(l.yTicks.label(v), x: l.plotX - 8, y: p.y - glyph / 2, scale: s, anchor: .end)
        }
        for v in l.xTicks.values {
            let p = l.pixel(x: v, y: l.yTicks.lower)
            canvas.fill(x: p.x, y: l.plotY, width: 1, height: l.plotHeight, .grid)
            canvas.fill(x: p.x, y: l.plotY + l.plotHeight, width: 1, height: 5, .ink)
            canvas.text(l.xTicks.label(v), x: p.x, y: l.plotY + l.plotHeight + 8, scale: s, anchor: .center)
        }
        canvas.stroke(x: l.plotX - 1, y: l.plotY - 1, width: l.plotWidth + 2, height: l.plotHeight + 2, .ink)
        canvas.text(xLabel, x: l.plotX + l.plotWidth / 2, y: l.xLabelY, scale: s, anchor: .center)
        canvas.text(yLabel, x: 4, y: l.plotY + l.plotHeight / 2, scale: s, anchor: .center, vertical: true)
        for line in series { draw(line, on: &canvas, layout: l) }
        if let box = l.legendBox {
            box.draw(on: &canvas, x: l.legendX, y: l.legendY)
        } else {
            drawLegendInside(on: &canvas, layout: l)
        }
        return canvas
    }

    /// One series: segments between consecutive finite points (dash pattern continuing across
    /// them), and markers where `markers` asks for them.
    func draw(_ line: Series, on canvas: inout Canvas, layout l: Layout) {
        let finite = line.points.map { $0.x.isFinite && $0.y.isFinite }
        var previous: (x: Int, y: Int)?, phase = 0
        for (i, point) in line.points.enumerated() {
            guard finite[i] else { previous = nil; phase = 0; continue }
            let p = l.pixel(x: point.x, y: min(max(point.y, l.yTicks.lower), l.yTicks.upper))
            if let previous { canvas.line(from: previous, to: p, line.color, thickness: 2, style: line.style, phase: &phase) }
            let isolated = (i == 0 || !finite[i - 1]) && (i == line.points.count - 1 || !finite[i + 1])
            if markers == .everyPoint || isolated { canvas.fill(x: p.x - 2, y: p.y - 2, width: 5, height: 5, line.color) }
            previous = p
        }
    }

    /// Series names with their colours, boxed in the plot corner that covers the fewest drawn
    /// line pixels (top-right, bottom-right, top-left, bottom-left, first wins on ties): rising
    /// accuracy curves keep their top-right corner, falling loss curves their bottom-right.
    func drawLegendInside(on canvas: inout Canvas, layout l: Layout) {
        let named = series.filter { !$0.points.isEmpty }
        guard !named.isEmpty else { return }
        let s = Self.scale, glyph = Canvas.textHeight(scale: s), row = glyph + 6, swatch = 16
        let textWidth = named.map { Canvas.textWidth($0.name, scale: s) }.max() ?? 0
        let w = swatch + 6 + textWidth + 12, h = row * named.count + 6
        let left = l.plotX + 6, right = l.plotX + l.plotWidth - w - 6
        let top = l.plotY + 6, bottom = l.plotY + l.plotHeight - h - 6
        let colors = Set(named.map(\.color))
        let corners = [(right, top), (right, bottom), (left, top), (left, bottom)]
        func covered(_ corner: (Int, Int)) -> Int {
            var n = 0
            for y in max(0, corner.1)..<min(canvas.height, corner.1 + h) {
                for x in max(0, corner.0)..<min(canvas.width, corner.0 + w) where colors.contains(canvas.color(x: x, y: y)) { n += 1 }
            }
            return n
        }
        let (x, y) = corners.min { covered($0) < covered($1) }!
        canvas.fill(x: x, y: y, width: w, height: h, .white)
        canvas.stroke(x: x, y: y, width: w, height: h, LegendBox.frame)
        for (i, line) in named.enumerated() {
            let top = y + 5 + i * row
            canvas.fill(x: x + 6, y: top + glyph / 2 - 1, width: swatch, height: 3, line.color)
            canvas.text(line.name, x: x + 6 + swatch + 6, y: top, scale: s)
        }
    }
}
