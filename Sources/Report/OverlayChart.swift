extension LineChart {
    /// Many runs' curves of one metric on one chart, for comparing them: colours and line
    /// styles from `Palette.styles(count:)` in the order given, lines without per-epoch markers
    /// (only isolated points are marked, so a one-epoch run still shows), and a legend outside
    /// the plot listing every run — right of it, or below it when a name is longer than
    /// `rightLegendCharacters` (a wide right column would squeeze the plot). Runs without a
    /// single finite point (no validation) stay listed, marked "(no data)"; runs of different
    /// lengths simply end at different epochs.
    public static func overlay(title: String, xLabel: String = "Epoch", yLabel: String,
                               curves: [(name: String, points: [(x: Double, y: Double)])],
                               yLimits: ClosedRange<Double>? = nil) -> LineChart {
        let styles = Palette.styles(count: curves.count)
        var chart = LineChart(title: title, xLabel: xLabel, yLabel: yLabel, series: zip(curves, styles).map { curve, style in
            Series(name: curve.name, color: style.color, style: style.style, points: curve.points)
        }, yLimits: yLimits)
        chart.markers = .isolatedPoints
        chart.legend = curves.contains { $0.name.count > rightLegendCharacters } ? .below : .right
        return chart
    }

    /// The longest name an overlay lists right of the plot (about as wide as half the plot).
    public static let rightLegendCharacters = 32

    /// Plot area of an overlay chart, before the legend is added around it.
    public static let overlayPlotSize = (width: 560, height: 360)

    /// The chart on a canvas sized to hold its plot (`overlayPlotSize`) and its legend.
    public func renderFitted(plotWidth: Int = LineChart.overlayPlotSize.width,
                             plotHeight: Int = LineChart.overlayPlotSize.height) -> Canvas {
        drawingFitted(plotWidth: plotWidth, plotHeight: plotHeight).rasterized()
    }

    /// The drawing `renderFitted` renders.
    public func drawingFitted(plotWidth: Int = LineChart.overlayPlotSize.width,
                              plotHeight: Int = LineChart.overlayPlotSize.height) -> Drawing {
        let size = fittedSize(plotWidth: plotWidth, plotHeight: plotHeight)
        return drawing(width: size.width, height: size.height)
    }
}
