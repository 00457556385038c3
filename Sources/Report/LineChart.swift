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

    /// Which points get a round marker (6 px across, matplotlib's `markersize` 6 pt at 75 dpi).
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

        /// Pixels between the frame and the axis ends, so points on the axis limits (the first
        /// epoch, accuracy 0 or 1) and their markers are not drawn over the frame (matplotlib
        /// keeps such a margin too).
        public static let inset = 5

        /// The pixel of data point (x, y).
        public func pixel(x: Double, y: Double) -> (x: Int, y: Int) {
            let fx = (x - xTicks.lower) / (xTicks.upper - xTicks.lower)
            let fy = (y - yTicks.lower) / (yTicks.upper - yTicks.lower)
            let i = Self.inset
            return (plotX + i + Int((fx * Double(plotWidth - 1 - 2 * i)).rounded()),
                    plotY + plotHeight - 1 - i - Int((fy * Double(plotHeight - 1 - 2 * i)).rounded()))
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
        let yLabelWidth = yTicks.values.map { ChartText.width(yTicks.label($0), size: ChartText.tick) }.max() ?? 0
        return (6 + ChartText.lineHeight(ChartText.label) + 6 + yLabelWidth + 9,
                8 + ChartText.lineHeight(ChartText.title) + 10,
                Self.xLabelOffset + ChartText.lineHeight(ChartText.label) + 8, 16)
    }

    /// Pixels from the plot's bottom edge to the top of the x-axis title: tick, gap, tick labels, gap.
    static var xLabelOffset: Int { 5 + 4 + ChartText.lineHeight(ChartText.tick) + 6 }

    /// Gap between the plot frame (or the x-axis title) and an outside legend, and between the
    /// legend and the canvas edge.
    static let legendGap = 16, legendMargin = 8

    /// The plot area and ticks for a canvas of the given size.
    public func layout(width: Int, height: Int) -> Layout {
        let (xTicks, yTicks) = ticks()
        var (left, top, bottom, right) = margins(yTicks: yTicks)
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
        let xLabelY = plotBottom + Self.xLabelOffset
        let legendY = legend == .right ? top : xLabelY + ChartText.lineHeight(ChartText.label) + 8 + 4
        return Layout(plotX: left, plotY: top, plotWidth: plotWidth, plotHeight: plotHeight, xTicks: xTicks, yTicks: yTicks,
                      xLabelY: xLabelY, legendX: legendX, legendY: legendY, legendBox: box)
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

    /// The chart rendered by cairo.
    public func render(width: Int = 480, height: Int = 360) -> Canvas { drawing(width: width, height: height).rasterized() }

    /// The chart as shapes and text, for `rasterized()` (PNG) and `svg()`.
    public func drawing(width: Int = 480, height: Int = 360) -> Drawing {
        var d = Drawing(width: width, height: height)
        let l = layout(width: width, height: height), tick = ChartText.tick
        d.line(title, x: Double(width) / 2, top: 8, size: ChartText.title, anchor: .middle)
        // Grid and tick labels.
        for v in l.yTicks.values where v >= l.yTicks.lower - 1e-12 && v <= l.yTicks.upper + 1e-12 {
            let p = l.pixel(x: l.xTicks.lower, y: v)
            d.fill(x: l.plotX, y: p.y, width: l.plotWidth, height: 1, .grid)
            d.fill(x: l.plotX - 6, y: p.y, width: 5, height: 1, .ink)
            d.text(l.yTicks.label(v), x: Double(l.plotX - 9), y: Double(p.y) + 0.5, size: tick, anchor: .end, alignment: .middle)
        }
        for v in l.xTicks.values {
            let p = l.pixel(x: v, y: l.yTicks.lower)
            d.fill(x: p.x, y: l.plotY, width: 1, height: l.plotHeight, .grid)
            d.fill(x: p.x, y: l.plotY + l.plotHeight + 1, width: 1, height: 5, .ink)
            d.line(l.xTicks.label(v), x: Double(p.x) + 0.5, top: Double(l.plotY + l.plotHeight + 9), size: tick, anchor: .middle)
        }
        d.frame(x: l.plotX - 1, y: l.plotY - 1, width: l.plotWidth + 2, height: l.plotHeight + 2, .ink)
        d.line(xLabel, x: Double(l.plotX) + Double(l.plotWidth) / 2, top: Double(l.xLabelY), size: ChartText.label, anchor: .middle)
        // The y title's line box starts 6 px from the left edge; its capitals face left.
        d.text(yLabel, x: 6 + (Typeface.ascent - Typeface.capHeight) * ChartText.label, y: Double(l.plotY) + Double(l.plotHeight) / 2,
               size: ChartText.label, anchor: .middle, alignment: .top, vertical: true)
        for line in series { draw(line, on: &d, layout: l) }
        if let box = l.legendBox {
            box.draw(on: &d, x: l.legendX, y: l.legendY)
        } else {
            drawLegendInside(on: &d, layout: l)
        }
        return d
    }

    /// The pixels a series' finite points land on, in runs broken by non-finite points.
    func runs(_ line: Series, layout l: Layout) -> [[(x: Int, y: Int)]] {
        var runs: [[(x: Int, y: Int)]] = [], current: [(x: Int, y: Int)] = []
        for point in line.points {
            guard point.x.isFinite && point.y.isFinite else {
                if !current.isEmpty { runs.append(current); current = [] }
                continue
            }
            current.append(l.pixel(x: point.x, y: min(max(point.y, l.yTicks.lower), l.yTicks.upper)))
        }
        if !current.isEmpty { runs.append(current) }
        return runs
    }

    /// One series: a 2 px line through the centres of its points' pixels (a dash pattern runs
    /// along each unbroken stretch), and markers where `markers` asks for them.
    func draw(_ line: Series, on d: inout Drawing, layout l: Layout) {
        for run in runs(line, layout: l) {
            let points = run.map { Drawing.Point(Double($0.x) + 0.5, Double($0.y) + 0.5) }
            d.polyline(points, line.color, width: 2, dash: line.style.dash)
            if markers == .everyPoint || run.count == 1 {
                for p in points { d.circle(p, radius: 3, line.color) }
            }
        }
    }

    /// Series names with their colours, boxed in the plot corner that the fewest line samples
    /// (one per pixel along each segment) fall into: top-right, bottom-right, top-left,
    /// bottom-left, first wins on ties, as matplotlib's `loc="best"` weighs its candidates.
    /// Rising accuracy curves keep their top-right corner, falling loss curves their bottom-right.
    func drawLegendInside(on d: inout Drawing, layout l: Layout) {
        let named = series.filter { !$0.points.isEmpty }
        guard !named.isEmpty else { return }
        let size = LegendBox.size, row = LegendBox.row
        let textWidth = named.map { ChartText.width($0.name, size: size) }.max() ?? 0
        let w = 8 + LegendBox.swatch + 6 + textWidth + 8, h = row * named.count + 8
        let left = l.plotX + 6, right = l.plotX + l.plotWidth - w - 6
        let top = l.plotY + 6, bottom = l.plotY + l.plotHeight - h - 6
        var samples: [(x: Int, y: Int)] = []
        for line in named {
            for run in runs(line, layout: l) {
                samples += run.prefix(1)
                for (a, b) in zip(run, run.dropFirst()) {
                    let n = max(abs(b.x - a.x), abs(b.y - a.y), 1)
                    samples += (1...n).map { (a.x + (b.x - a.x) * $0 / n, a.y + (b.y - a.y) * $0 / n) }
                }
            }
        }
        let corners = [(right, top), (right, bottom), (left, top), (left, bottom)]
        func covered(_ c: (Int, Int)) -> Int { samples.filter { $0.x >= c.0 - 3 && $0.x < c.0 + w + 3 && $0.y >= c.1 - 3 && $0.y < c.1 + h + 3 }.count }
        let (x, y) = corners.min { covered($0) < covered($1) }!
        d.fill(x: x, y: y, width: w, height: h, .white)
        d.frame(x: x, y: y, width: w, height: h, LegendBox.frame)
        for (i, line) in named.enumerated() {
            LegendBox.entry(line.name, line.color, line.style, x: x + 8, top: y + 4 + i * row, on: &d)
        }
    }
}
