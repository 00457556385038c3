import Testing
@testable import Train
@testable import Report

/// The two pictures: colours land where the data says.
@Suite struct ChartTests {
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
    }

    @Test func confusionCellsAreShadedByTheirShareOfTheRow() {
        // Rows: A → [3 1 0], B → [0 2 0], C (no samples) → [0 0 0].
        let m = ConfusionMatrix(classes: 3, trueLabels: [0, 0, 0, 0, 1, 1], predicted: [0, 0, 0, 1, 1, 1])
        let chart = ConfusionMatrixChart(matrix: m, classNames: ["A", "B", "C"])
        let canvas = chart.render()
        let origin = chart.gridOrigin, cell = chart.cellSize
        #expect(cell == 64 && chart.countScale == 2)
        func corner(_ t: Int, _ p: Int) -> Color { canvas.color(x: origin.x + p * cell + 2, y: origin.y + t * cell + 2) }
        #expect(corner(0, 0) == Blues.color(0.75))
        #expect(corner(0, 1) == Blues.color(0.25))
        #expect(corner(1, 1) == Blues.color(1))
        #expect(corner(2, 0) == Blues.color(0) && corner(2, 2) == Blues.color(0))
        // The count is written in the contrasting colour at the cell centre: "2" on dark blue
        // is white; its glyph XXX ..X XXX X.. XXX inks the centre column of its middle row.
        let cx = origin.x + 1 * cell + cell / 2, cy = origin.y + 1 * cell + cell / 2
        var white = 0
        for y in (cy - 6)...(cy + 6) { for x in (cx - 4)...(cx + 4) where canvas.color(x: x, y: y) == .white { white += 1 } }
        #expect(white > 10)
    }

    @Test func manyClassesShrinkCellsAndDropCounts() {
        // Cell (5, 5) counts 12: "12" is 7 px wide at scale 1, 14 px at scale 2 (too wide for 14 px cells).
        let extra = [Int](repeating: 5, count: 11)
        let m = ConfusionMatrix(classes: 100, trueLabels: Array(0..<100) + extra, predicted: Array(0..<100) + extra)
        let chart = ConfusionMatrixChart(matrix: m, classNames: (0..<100).map { "class_\($0)" })
        #expect(chart.cellSize == 14 && chart.countScale == 1)
        let canvas = chart.render()
        #expect(canvas.width > 100 * 14 && canvas.height > 100 * 14)
        #expect(ConfusionMatrixChart.label("a_very_long_class_name") == "a_very_long_c.")
    }
}
