import Testing
@testable import Train
@testable import Report

/// The two pictures: colours land where the data says.
@Suite struct ChartTests {
    /// The titles and labels are text in the drawing and ink in the title band of the PNG.
    @Test func titlesAndAxisLabelsAreRealText() {
        let drawing = TrainingCurves.drawing(history: Self.history)
        #expect(Set(["Loss", "Accuracy", "Epoch", "train", "validation", "0.5", "2.0"]).isSubset(of: Set(drawing.texts)))
        let canvas = drawing.rasterized()
        // The title "Loss" is centred over the left panel, its capitals from y 8 down.
        let titleWidth = ChartText.width("Loss", size: ChartText.title)
        var ink = 0
        for y in 8..<(8 + ChartText.lineHeight(ChartText.title)) {
            for x in (240 - titleWidth / 2)..<(240 + titleWidth / 2 + 1) where canvas.color(x: x, y: y).luminance < 0.5 { ink += 1 }
        }
        #expect(ink > 20)
        // Nothing else is drawn in that band beside the title.
        for y in 0..<30 { for x in 0..<(240 - titleWidth / 2 - 2) { #expect(canvas.color(x: x, y: y) == .white) } }
    }

    static func record(_ epoch: Int, _ loss: Double, _ acc: Double, _ vLoss: Double?, _ vAcc: Double?) -> EpochRecord {
        EpochRecord(epoch: epoch, learningRate: 0.001, loss: loss, accuracy: acc, validationLoss: vLoss,
                    validationAccuracy: vAcc, seconds: 1, samplesPerSecond: 100)
    }

    static let history = [record(1, 2.0, 0.30, 1.8, 0.40), record(2, 1.2, 0.55, 1.3, 0.52), record(3, 0.7, 0.80, 1.1, 0.61)]

    @Test func curvesPutEveryPointWhereTheAxesSay() {
        let canvas = TrainingCurves.render(history: Self.history)
        #expect(canvas.width == 2 * TrainingCurves.panelWidth && canvas.height == TrainingCurves.panelHeight)
        // Rebuild the panels' layouts (same charts) and look under each data point: the marker
        // is a 5x5 square of the series colour centred there.
        let loss = LineChart(title: "Loss", xLabel: "Epoch", yLabel: "Loss", series: [
            .init(name: "train", color: .blue, points: Self.history.map { (Double($0.epoch), $0.loss) }),
            .init(name: "validation", color: .orange, points: Self.history.map { (Double($0.epoch), $0.validationLoss!) }),
        ], yLimits: 0...Double.greatestFiniteMagnitude)
        let l = loss.layout(width: TrainingCurves.panelWidth, height: TrainingCurves.panelHeight)
        for r in Self.history {
            let t = l.pixel(x: Double(r.epoch), y: r.loss), v = l.pixel(x: Double(r.epoch), y: r.validationLoss!)
            #expect(canvas.color(x: t.x, y: t.y) == .blue, "train loss epoch \(r.epoch)")
            #expect(canvas.color(x: v.x, y: v.y) == .orange, "validation loss epoch \(r.epoch)")
        }
        let accuracy = LineChart(title: "Accuracy", xLabel: "Epoch", yLabel: "Accuracy", series: [
            .init(name: "train", color: .blue, points: Self.history.map { (Double($0.epoch), $0.accuracy) }),
            .init(name: "validation", color: .orange, points: Self.history.map { (Double($0.epoch), $0.validationAccuracy!) }),
        ], yLimits: 0...1)
        let a = accuracy.layout(width: TrainingCurves.panelWidth, height: TrainingCurves.panelHeight)
        for r in Self.history {
            let t = a.pixel(x: Double(r.epoch), y: r.accuracy)
            #expect(canvas.color(x: TrainingCurves.panelWidth + t.x, y: t.y) == .blue, "train accuracy epoch \(r.epoch)")
        }
        // Loss falls: the first epoch's point is higher on the canvas (smaller y) than the last.
        #expect(l.pixel(x: 1, y: 2.0).y < l.pixel(x: 3, y: 0.7).y)
        // Ticks: loss 0.7...2.0 → step 0.5 → 0.5...2.0; accuracy 0.3...0.8 → step 0.1.
        #expect(l.yTicks.lower == 0.5 && l.yTicks.upper == 2.0)
        #expect(abs(a.yTicks.step - 0.1) < 1e-12)
    }

    @Test func noValidationMeansNoOrange() {
        let history = [Self.record(1, 1.0, 0.5, nil, nil), Self.record(2, 0.5, 0.7, nil, nil)]
        let canvas = TrainingCurves.render(history: history)
        var orange = 0, blue = 0
        for y in 0..<canvas.height { for x in 0..<canvas.width {
            let c = canvas.color(x: x, y: y)
            if c == .orange { orange += 1 } else if c == .blue { blue += 1 }
        } }
        #expect(orange == 0 && blue > 0)
    }

    @Test func emptyHistoryStillDraws() {
        let canvas = TrainingCurves.render(history: [])
        #expect(canvas.pixels.contains(34))   // axes and titles in ink
        #expect(TrainingCurves.drawing(history: []).texts.contains("Accuracy"))
    }

    @Test func confusionCellsAreShadedByTheirShareOfTheRow() {
        // Rows: A → [3 1 0], B → [0 2 0], C (no samples) → [0 0 0].
        let m = ConfusionMatrix(classes: 3, trueLabels: [0, 0, 0, 0, 1, 1], predicted: [0, 0, 0, 1, 1, 1])
        let chart = ConfusionMatrixChart(matrix: m, classNames: ["A", "B", "C"])
        let canvas = chart.render()
        let origin = chart.gridOrigin, cell = chart.cellSize
        #expect(cell == 64 && chart.countSize == 14)
        func corner(_ t: Int, _ p: Int) -> Color { canvas.color(x: origin.x + p * cell + 2, y: origin.y + t * cell + 2) }
        #expect(corner(0, 0) == Blues.color(0.75))
        #expect(corner(0, 1) == Blues.color(0.25))
        #expect(corner(1, 1) == Blues.color(1))
        #expect(corner(2, 0) == Blues.color(0) && corner(2, 2) == Blues.color(0))
        // The count is written in the contrasting colour at the cell centre: "2" on dark blue
        // is white (anti-aliased: light strokes blending into the cell at their edges); "0" on
        // the near-white empty row C is dark ink.
        let cx = origin.x + 1 * cell + cell / 2, cy = origin.y + 1 * cell + cell / 2
        var light = 0
        for y in (cy - 6)...(cy + 6) { for x in (cx - 5)...(cx + 5) where canvas.color(x: x, y: y).luminance > 0.7 { light += 1 } }
        #expect(light > 10)
        let zx = origin.x + cell / 2, zy = origin.y + 2 * cell + cell / 2
        var dark = 0
        for y in (zy - 6)...(zy + 6) { for x in (zx - 5)...(zx + 5) where canvas.color(x: x, y: y).luminance < 0.5 { dark += 1 } }
        #expect(dark > 10)
        // Outside the text, every pixel of a cell is its exact shade (data pixels unchanged).
        for x in 0..<cell where x < cell / 2 - 8 || x > cell / 2 + 8 {
            #expect(canvas.color(x: origin.x + x, y: origin.y + cell / 2) == Blues.color(0.75))
        }
    }

    @Test func manyClassesShrinkCellsAndDropCounts() {
        // Cell (5, 5) counts 12: "12" is 2 x 1303/2048 em wide in DejaVu Sans, 8.9 px at 7 px
        // (fits a 14 px cell with 2 px each side), 10.2 px at 8 px (does not).
        let extra = [Int](repeating: 5, count: 11)
        let m = ConfusionMatrix(classes: 100, trueLabels: Array(0..<100) + extra, predicted: Array(0..<100) + extra)
        let chart = ConfusionMatrixChart(matrix: m, classNames: (0..<100).map { "class_\($0)" })
        #expect(chart.cellSize == 14 && chart.countSize == 7 && chart.labelSize == 10)
        let canvas = chart.render()
        #expect(canvas.width > 100 * 14 && canvas.height > 100 * 14)
        #expect(ConfusionMatrixChart.label("a_very_long_class_name") == "a_very_long_c.")
    }

    /// 3,000 classes at 14 px would be a 42,000 px grid, past cairo's 32767 px surfaces: past
    /// 16384 / 14 = 1,170 classes cells shrink so the grid stays within 16384 px (sizes only:
    /// drawing 9 million cells is no unit test).
    @Test func thousandsOfClassesKeepTheGridDrawable() {
        func cell(_ n: Int) -> Int {
            ConfusionMatrixChart(matrix: ConfusionMatrix(classes: n, trueLabels: [0], predicted: [0]),
                                 classNames: (0..<n).map { "c\($0)" }).cellSize
        }
        #expect(cell(1170) == 14 && cell(1171) == 13 && cell(3000) == 5 && cell(20000) == 1)
        #expect(1171 * cell(1171) <= 16384 && 3000 * cell(3000) <= 16384)
    }
}
