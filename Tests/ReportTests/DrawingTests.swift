import DataPrep
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import Report

/// The drawing model rendered by cairo and written as SVG: real text in DejaVu Sans, exact
/// rectangles and rasters, anti-aliased lines, and well-formed SVG with the same content.
@Suite struct DrawingTests {
    /// A drawing past cairo's 32767 px side is a typed error where charts become files, not a
    /// trap inside cairo's surface allocation (nothing is rasterized: the check comes first).
    @Test func chartsPastCairosLimitAreATypedError() {
        let tall = Drawing(width: 10, height: Drawing.maxSide + 1)
        #expect(throws: DataPrepError.self) { try RenderedChart(tall, title: "tall") }
        #expect(throws: Never.self) { try RenderedChart(Drawing(width: 10, height: 10), title: "small") }
    }

    /// Pixels that differ from white.
    static func inked(_ c: Canvas) -> [(x: Int, y: Int)] {
        var out: [(x: Int, y: Int)] = []
        for y in 0..<c.height { for x in 0..<c.width where c.color(x: x, y: y) != .white { out.append((x, y)) } }
        return out
    }

    @Test func textIsMeasuredInDejaVuSans() {
        // DejaVu Sans digits advance 1303/2048 em (its hmtx table): 20 px text → 12.72 px per digit.
        #expect(abs(Typeface.width("0", size: 20) - 20 * 1303 / 2048) < 0.01)
        #expect(abs(Typeface.width("0123", size: 40) - 2 * Typeface.width("0123", size: 20)) < 0.01)   // unhinted: linear in size
        #expect(Typeface.width("", size: 12) == 0)
    }

    @Test func textLandsInsideItsMeasuredBoxInInk() {
        var d = Drawing(width: 200, height: 40)
        d.text("Epoch 12", x: 100, y: 10, size: 20, anchor: .middle)
        let c = d.rasterized(), ink = Self.inked(c)
        let w = Typeface.width("Epoch 12", size: 20), cap = Typeface.capHeight * 20
        #expect(ink.count > 150)
        // Anti-aliased: fully inked pixels and partial ones in between.
        #expect(ink.contains { c.color(x: $0.x, y: $0.y) == .ink })
        #expect(ink.contains { let v = c.color(x: $0.x, y: $0.y); return v != .ink && v.r > Color.ink.r })
        let xs = ink.map(\.x), ys = ink.map(\.y)
        #expect(Double(xs.min()!) >= 100 - w / 2 - 1 && Double(xs.max()!) <= 100 + w / 2 + 1)
        // Capitals start at the top (y 10); "p" descends below the baseline (10 + cap).
        #expect(ys.min()! >= 9 && ys.min()! <= 11)
        #expect(Double(ys.max()!) > 10 + cap + 2 && Double(ys.max()!) < 10 + cap + Typeface.descent * 20 + 2)
    }

    @Test func mixedCaseIsNotCapitals() {
        func pixels(_ s: String) -> [UInt8] {
            var d = Drawing(width: 120, height: 30)
            d.text(s, x: 4, y: 6, size: 16)
            return d.rasterized().pixels
        }
        #expect(pixels("Accuracy") != pixels("ACCURACY"))
        #expect(Typeface.width("Accuracy", size: 16) < Typeface.width("ACCURACY", size: 16))
        // Lower-case letters stay below the capitals' top: the x-height band only.
        var d = Drawing(width: 60, height: 30)
        d.text("oxo", x: 4, y: 6, size: 16)
        let top = Self.inked(d.rasterized()).map(\.y).min()!
        #expect(Double(top) >= 6 + (Typeface.capHeight - 0.56) * 16 - 1)
    }

    @Test func verticalTextReadsUpward() {
        var d = Drawing(width: 40, height: 120)
        d.text("Loss value", x: 10, y: 60, size: 16, anchor: .middle, vertical: true)
        let ink = Self.inked(d.rasterized())
        let xs = ink.map(\.x), ys = ink.map(\.y)
        #expect(ys.max()! - ys.min()! > 3 * (xs.max()! - xs.min()!))   // tall, narrow
        #expect(abs(Double(ys.min()! + ys.max()!) / 2 - 60) < 3)
        #expect(xs.min()! >= 9)   // capitals face left from the left edge's side: nothing left of x
        // Reading upward: the "L" (first letter) is at the bottom, where the ink spans the full cap height.
        let bottomRows = ink.filter { $0.y > ys.max()! - 3 }.map(\.x)
        #expect(bottomRows.max()! - bottomRows.min()! >= 9)
    }

    @Test func rectanglesOnWholePixelsAndRastersAreExact() {
        var d = Drawing(width: 20, height: 12)
        d.fill(x: 2, y: 3, width: 5, height: 4, Color(10, 200, 30))
        let image = Image(width: 2, height: 1, channels: 3, pixels: [1, 2, 3, 250, 128, 7])
        d.raster(image, x: 10, y: 2, scaleX: 3, scaleY: 4)
        let c = d.rasterized()
        for y in 0..<12 { for x in 0..<20 {
            let inRect = (2..<7).contains(x) && (3..<7).contains(y)
            let inRaster = (10..<16).contains(x) && (2..<6).contains(y)
            let expected = inRect ? Color(10, 200, 30) : inRaster ? (x < 13 ? Color(1, 2, 3) : Color(250, 128, 7)) : .white
            #expect(c.color(x: x, y: y) == expected, "(\(x), \(y))")
        } }
    }

    @Test func linesAreAntiAliasedAndExactOnTheirPoints() {
        var d = Drawing(width: 30, height: 30)
        d.polyline([.init(2.5, 2.5), .init(27.5, 17.5)], .blue, width: 2)
        let c = d.rasterized()
        #expect(c.color(x: 2, y: 2) == .blue && c.color(x: 27, y: 17) == .blue)
        let partial = Self.inked(c).filter { c.color(x: $0.x, y: $0.y) != .blue }
        #expect(partial.count > 10)   // soft edges, not a staircase
        #expect(c.color(x: 2, y: 20) == .white)
    }

    @Test func sameDrawingSameBytes() throws {
        let chart = LineChart.overlay(title: "Validation loss", yLabel: "val_loss",
                                      curves: [("a", [(1, 0.9), (2, 0.5)]), ("b", [(1, 0.7), (2, 0.6)])])
        let first = try chart.renderFitted().pngData()
        let again = try (0..<4).map { _ in try chart.renderFitted().pngData() }
        #expect(again.allSatisfy { $0 == first })
    }

    @Test func svgIsWellFormedWithTextPathsAndEscapes() throws {
        var d = Drawing(width: 100, height: 50)
        d.fill(x: 1, y: 2, width: 3, height: 4, Color(255, 0, 16))
        d.polyline([.init(0.5, 1), .init(10.25, 20.125)], .orange, width: 2, dash: [7, 3])
        d.circle(.init(5, 5), radius: 3, .blue)
        d.text("a<b & \"c\"", x: 50, y: 10, size: 12, anchor: .middle)
        d.text("up", x: 5, y: 40, size: 10, vertical: true)
        d.raster(Image(width: 1, height: 1, channels: 3, pixels: [9, 9, 9]), x: 3, y: 3, scaleX: 4, scaleY: 2)
        let svg = try d.svg(title: "T & t")
        let document = try XMLDocument(xmlString: svg)
        let root = try #require(document.rootElement())
        #expect(root.name == "svg" && root.attributes?.first { $0.name == "width" }?.stringValue == "100")
        #expect(try document.nodes(forXPath: "//*[local-name()='title']").first?.stringValue == "T & t")
        let texts = try document.nodes(forXPath: "//*[local-name()='text']")
        #expect(texts.map { $0.stringValue } == ["a<b & \"c\"", "up"])
        #expect(svg.contains("<rect x=\"1\" y=\"2\" width=\"3\" height=\"4\" fill=\"#ff0010\"/>"))
        #expect(svg.contains("<path d=\"M0.5 1 L10.25 20.13\" fill=\"none\" stroke=\"#ff7f0e\" stroke-width=\"2\" stroke-linejoin=\"round\" stroke-linecap=\"butt\" stroke-dasharray=\"7 3\"/>"))
        #expect(svg.contains("text-anchor=\"middle\""))
        #expect(svg.contains("transform=\"translate(") && svg.contains("rotate(-90)"))
        #expect(svg.contains("<image x=\"3\" y=\"3\" width=\"4\" height=\"2\"") && svg.contains("href=\"data:image/png;base64,"))
        #expect(Drawing.number(-0.001) == "0" && Drawing.number(2.50) == "2.5" && Drawing.number(3) == "3")
    }
}
