import Testing
@testable import Report

/// The overlay of many runs: every series drawn in its own colour/style, every name in the
/// legend, gaps and different lengths respected — checked pixel by pixel.
@Suite struct OverlayChartTests {
    typealias Points = [(x: Double, y: Double)]

    static func ramp(_ epochs: ClosedRange<Int>, from start: Double, step: Double) -> Points {
        epochs.map { (Double($0), start + step * Double($0 - epochs.lowerBound)) }
    }

    /// How many pixels of `color` lie in the rectangle.
    static func count(_ canvas: Canvas, _ color: Color, x: Int, y: Int, width: Int, height: Int) -> Int {
        var n = 0
        for py in max(0, y)..<min(canvas.height, y + height) {
            for px in max(0, x)..<min(canvas.width, x + width) where canvas.color(x: px, y: py) == color { n += 1 }
        }
        return n
    }

    static func inPlot(_ canvas: Canvas, _ color: Color, _ l: LineChart.Layout) -> Int {
        count(canvas, color, x: l.plotX, y: l.plotY, width: l.plotWidth, height: l.plotHeight)
    }

    /// Entry `i`'s text in the legend is exactly `label`: its pixels are those of `label` drawn
    /// alone, at the same place, on white (and not blank).
    static func expectLegendText(_ canvas: Canvas, _ l: LineChart.Layout, entry i: Int, label: String) {
        guard let box = l.legendBox else { Issue.record("no outside legend"); return }
        let o = box.origin(of: i, x: l.legendX, y: l.legendY)
        let tx = o.x + LegendBox.swatch + 6, w = ChartText.width(label, size: LegendBox.size), h = ChartText.lineHeight(LegendBox.size)
        var alone = Drawing(width: canvas.width, height: canvas.height)
        alone.line(label, x: Double(tx), top: Double(o.y), size: LegendBox.size)
        let expected = alone.rasterized()
        var same = true, ink = 0
        for y in o.y..<(o.y + h) {
            for x in tx..<(tx + w) {
                if canvas.color(x: x, y: y) != expected.color(x: x, y: y) { same = false }
                if expected.color(x: x, y: y).luminance < 0.5 { ink += 1 }
            }
        }
        #expect(same && ink > 2 * label.filter { $0 != " " }.count, "legend entry \(i) should read \(label)")
    }

    @Test func legendListsEverySeriesAndEachColourIsInThePlot() throws {
        let names = ["l2=0.001,dropout=0.3", "l2=0.001,dropout=0.5", "l1=0.002", "baseline", "lr=1e-05"]
        let curves = names.enumerated().map { i, name in (name: name, points: Self.ramp(1...8, from: 2.0 - 0.2 * Double(i), step: -0.1)) }
        let chart = LineChart.overlay(title: "Validation loss", yLabel: "val_loss", curves: curves, yLimits: 0...Double.greatestFiniteMagnitude)
        #expect(chart.legend == .right && chart.markers == .isolatedPoints)
        let canvas = chart.renderFitted()
        let l = chart.layout(width: canvas.width, height: canvas.height)
        #expect(l.plotWidth == LineChart.overlayPlotSize.width && l.plotHeight == LineChart.overlayPlotSize.height)
        let box = try #require(l.legendBox)
        #expect(l.legendX > l.plotX + l.plotWidth && l.legendX + box.width <= canvas.width)   // right of the plot: hides nothing
        for (i, name) in names.enumerated() {
            let color = Palette.tab10[i]
            #expect(chart.series[i].color == color && chart.series[i].style == .solid)
            #expect(Self.inPlot(canvas, color, l) > 100, "\(name) drawn in the plot")
            let o = box.origin(of: i, x: l.legendX, y: l.legendY)
            #expect(Self.count(canvas, color, x: o.x, y: o.y, width: LegendBox.swatch, height: 10) == 2 * LegendBox.swatch, "\(name) swatch")
            Self.expectLegendText(canvas, l, entry: i, label: name)
            // The curve passes through its points (the curves are 0.2 apart: none covers another).
            for p in curves[i].points {
                let px = l.pixel(x: p.x, y: p.y)
                #expect(canvas.color(x: px.x, y: px.y) == color, "\(name) epoch \(p.x)")
            }
        }
    }

    @Test func differentLengthsGapsAndRunsWithoutValidation() {
        let nan = Double.nan
        let curves: [(name: String, points: Points)] = [
            ("long", Self.ramp(1...10, from: 0.9, step: -0.05)),
            ("short", Self.ramp(1...3, from: 0.5, step: 0.1)),
            ("broken", [(1, 0.2), (2, 0.25), (3, 0.3), (4, nan), (5, 0.35), (6, 0.4)]),
            ("skipped", [(1, 0.1), (5, 0.1)]),   // epochs 2...4 had no value: the line joins 1 and 5
            ("single", [(7, 0.6)]),
            ("no-validation", []),
        ]
        let chart = LineChart.overlay(title: "Validation accuracy", yLabel: "val_accuracy", curves: curves, yLimits: 0...1)
        let canvas = chart.renderFitted()
        let l = chart.layout(width: canvas.width, height: canvas.height)
        #expect(l.xTicks.lower == 0 && l.xTicks.upper == 10)   // the longest run sets the x axis
        let color = chart.series.map(\.color)
        // "short" stops at epoch 3: nothing of its colour right of that point's pen.
        let end = l.pixel(x: 3, y: 0.7)
        #expect(canvas.color(x: end.x, y: end.y) == color[1])
        #expect(Self.count(canvas, color[1], x: end.x + 2, y: l.plotY, width: l.plotX + l.plotWidth - end.x - 2, height: l.plotHeight) == 0)
        // "broken": no pixel of its colour strictly between epochs 3 and 5 (NaN at 4 breaks the line).
        let a = l.pixel(x: 3, y: 0.3), b = l.pixel(x: 5, y: 0.35)
        #expect(Self.count(canvas, color[2], x: a.x + 2, y: l.plotY, width: b.x - a.x - 3, height: l.plotHeight) == 0)
        #expect(canvas.color(x: a.x, y: a.y) == color[2] && canvas.color(x: b.x, y: b.y) == color[2])
        // "skipped": one segment from epoch 1 to 5 at y 0.1, so epoch 3's pixel is on it.
        let mid = l.pixel(x: 3, y: 0.1)
        #expect(canvas.color(x: mid.x, y: mid.y) == color[3])
        // "single": an isolated point still gets its round marker (6 px across: its 3x3 core
        // is solid); joined points do not.
        let s = l.pixel(x: 7, y: 0.6)
        #expect(Self.count(canvas, color[4], x: s.x - 1, y: s.y - 1, width: 3, height: 3) == 9)
        let joined = l.pixel(x: 2, y: 0.85)
        #expect(Self.count(canvas, color[0], x: joined.x - 1, y: joined.y - 1, width: 3, height: 3) < 9)
        // "no-validation": listed in the legend, marked, and absent from the plot.
        #expect(Self.inPlot(canvas, color[5], l) == 0)
        Self.expectLegendText(canvas, l, entry: 5, label: "no-validation (no data)")
        let o = l.legendBox!.origin(of: 5, x: l.legendX, y: l.legendY)
        #expect(Self.count(canvas, color[5], x: o.x, y: o.y, width: LegendBox.swatch, height: 10) == 2 * LegendBox.swatch)
    }

    @Test func twentySeriesHaveTwentyColoursAndThirtyDifferInColourOrStyle() {
        let twenty = Palette.styles(count: 20)
        #expect(Set(twenty.map(\.color)).count == 20)
        let chrome: Set<Color> = [.white, .ink, .grid, LegendBox.frame]
        #expect(chrome.isDisjoint(with: twenty.map(\.color)))
        #expect(twenty[0].color == Palette.tab20[0] && twenty[0].style == .solid && twenty[1].style == .dashed)
        let thirty = Palette.styles(count: 30)
        #expect(Set(thirty.map { "\($0.color)/\($0.style)" }).count == 30)
        #expect(thirty[20].style == .dotted && thirty[21].style == .dashDot)
        #expect(Palette.styles(count: 10).map(\.color) == Palette.tab10 && Palette.styles(count: 2).map(\.color) == [.blue, .orange])

        // Drawn: each of the 20 colours appears in the plot and beside its name in the legend.
        let curves = (0..<20).map { i in (name: "run=\(i)", points: Self.ramp(1...6, from: 0.05 * Double(i), step: 0.01 * Double(i % 5))) }
        let chart = LineChart.overlay(title: "Twenty", yLabel: "val_loss", curves: curves)
        let canvas = chart.renderFitted()
        let l = chart.layout(width: canvas.width, height: canvas.height)
        for i in 0..<20 {
            #expect(Self.inPlot(canvas, twenty[i].color, l) > 20, "series \(i) in the plot")
            let o = l.legendBox!.origin(of: i, x: l.legendX, y: l.legendY)
            #expect(Self.count(canvas, twenty[i].color, x: o.x, y: o.y, width: LegendBox.swatch, height: 10) > 0, "series \(i) swatch")
            Self.expectLegendText(canvas, l, entry: i, label: "run=\(i)")
        }
        // The legend fits on the canvas; thirty names make it taller than the plot, and the canvas with it.
        #expect(l.legendY + l.legendBox!.height <= canvas.height)
        let many = LineChart.overlay(title: "Thirty", yLabel: "val_loss", curves: (0..<30).map { (name: "run=\($0)", points: Self.ramp(1...2, from: 1, step: 0)) })
        let tall = many.renderFitted(), m = many.layout(width: tall.width, height: tall.height)
        #expect(m.legendBox!.height > LineChart.overlayPlotSize.height && m.legendY + m.legendBox!.height <= tall.height)
        Self.expectLegendText(tall, m, entry: 29, label: "run=29")
    }

    @Test func dashPatternsFollowMatplotlibsProportions() {
        #expect((0..<20).map { LineStyle.dashed.inks($0) } == (0..<20).map { $0 % 10 < 7 })
        #expect((0..<10).map { LineStyle.dotted.inks($0) } == [true, true, false, false, false, true, true, false, false, false])
        #expect((0..<21).filter { LineStyle.dashDot.inks($0) } == Array(0..<13) + [16, 17])
        // Drawn by cairo on whole pixels with butt caps: 7 px on, 3 px off, along a polyline
        // whose two segments continue one pattern.
        var d = Drawing(width: 30, height: 3)
        d.polyline([.init(0, 1), .init(12, 1), .init(30, 1)], .black, width: 2, dash: LineStyle.dashed.dash)
        let c = d.rasterized()
        #expect((0..<30).map { c.color(x: $0, y: 1) == .black } == (0..<30).map { $0 % 10 < 7 })
        #expect((0..<30).map { c.color(x: $0, y: 0) == .black } == (0..<30).map { $0 % 10 < 7 })
        #expect((0..<30).allSatisfy { c.color(x: $0, y: 2) == .white })
    }

    @Test func longNamesGoBelowShortenedInTheMiddle() {
        let long = "model=conv 32 3 same relu; maxpool 2; conv 64 3 same relu; dense 10 softmax,lr=0.001"
        let chart = LineChart.overlay(title: "Loss", yLabel: "val_loss", curves: [(long, Self.ramp(1...3, from: 1, step: -0.1)), ("b", Self.ramp(1...3, from: 2, step: -0.1))])
        #expect(chart.legend == .below)
        let label = LegendBox.label(chart.series[0])
        #expect(label == String(long.prefix(31)) + ".." + String(long.suffix(31)) && label.count == LegendBox.maxCharacters)
        let canvas = chart.renderFitted()
        let l = chart.layout(width: canvas.width, height: canvas.height)
        let box = l.legendBox!
        #expect(l.legendY > l.xLabelY + 10 && l.legendY + box.height <= canvas.height && box.width <= canvas.width)
        #expect(l.plotWidth == LineChart.overlayPlotSize.width && l.plotHeight == LineChart.overlayPlotSize.height)
        Self.expectLegendText(canvas, l, entry: 0, label: label)
        Self.expectLegendText(canvas, l, entry: 1, label: "b")
    }

    @Test func runNameCharactersHaveTheirOwnGlyphs() {
        // Each character a run name or model spec uses (and accented letters, µ) draws as its
        // own glyph: ink for all but the space, and no two alike.
        let characters = Array("0123456789abcdefghijklmnopqrstuvwxyzABCXYZ=,.-_:;/()[]{}%*+#'\"<>!|éµ")
        func pixels(_ c: Character) -> [UInt8] {
            var d = Drawing(width: 24, height: 24)
            d.text(String(c), x: 4, y: 4, size: 16, .black)
            return d.rasterized().pixels
        }
        let blank = pixels(" ")
        let drawn = characters.map(pixels)
        for (c, p) in zip(characters, drawn) { #expect(p != blank, "'\(c)' drew nothing") }
        #expect(Set(drawn.map { $0.map(String.init).joined() }).count == characters.count)
    }
}
