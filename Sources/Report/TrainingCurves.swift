import Train

/// The picture of a training run: loss (left) and accuracy (right) per epoch, training in blue
/// and validation in orange, as Keras users plot `history.history` — written as `RUN/curves.png`.
public enum TrainingCurves {
    /// Pixel size of each of the two panels.
    public static let panelWidth = 480, panelHeight = 360

    /// Both panels side by side (`2 * panelWidth` x `panelHeight`). Epochs without validation
    /// figures simply have no orange points; an empty history draws empty axes.
    public static func render(history: [EpochRecord]) -> Canvas { drawing(history: history).rasterized() }

    /// The shapes and text `render` rasterizes (also the SVG of the report).
    public static func drawing(history: [EpochRecord]) -> Drawing {
        let epochs = history.map { Double($0.epoch) }
        func series(_ name: String, _ color: Color, _ values: [Double?]) -> LineChart.Series {
            LineChart.Series(name: name, color: color,
                             points: zip(epochs, values).compactMap { x, y in y.map { (x, $0) } })
        }
        let charts = [
            LineChart(title: "Loss", xLabel: "Epoch", yLabel: "Loss",
                      series: [series("train", .blue, history.map(\.loss)),
                               series("validation", .orange, history.map(\.validationLoss))],
                      yLimits: 0...Double.greatestFiniteMagnitude),
            LineChart(title: "Accuracy", xLabel: "Epoch", yLabel: "Accuracy",
                      series: [series("train", .blue, history.map(\.accuracy)),
                               series("validation", .orange, history.map(\.validationAccuracy))],
                      yLimits: 0...1),
        ]
        var drawing = Drawing(width: 2 * panelWidth, height: panelHeight)
        for (i, chart) in charts.enumerated() {
            drawing.draw(chart.drawing(width: panelWidth, height: panelHeight), dx: i * panelWidth, dy: 0)
        }
        return drawing
    }
}
