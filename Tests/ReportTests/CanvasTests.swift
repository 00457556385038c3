import DataPrep
import Testing
@testable import Report

/// The raster primitives, pixel by pixel.
@Suite struct CanvasTests {
    @Test func fillIsClippedAndExact() {
        var c = Canvas(width: 5, height: 4)
        c.fill(x: 3, y: -2, width: 10, height: 4, .black)   // covers x 3...4, y 0...1
        for y in 0..<4 { for x in 0..<5 {
            let inside = x >= 3 && y <= 1
            #expect(c.color(x: x, y: y) == (inside ? .black : .white), "(\(x), \(y))")
        } }
    }

    @Test func linesHitBothEndsAndTheDiagonal() {
        var c = Canvas(width: 6, height: 6)
        c.line(from: (0, 0), to: (5, 5), .blue)
        for i in 0..<6 { #expect(c.color(x: i, y: i) == .blue) }
        #expect(c.color(x: 1, y: 0) == .white)
        var h = Canvas(width: 6, height: 3)
        h.line(from: (5, 1), to: (0, 1), .orange, thickness: 3)   // thickness 3 covers rows 0...2
        for x in 0..<6 { for y in 0..<3 { #expect(h.color(x: x, y: y) == .orange) } }
    }

    @Test func textStaysInsideItsMeasuredBox() {
        // "1" is the glyph .X. XX. .X. .X. XXX (Augment's BitmapFont): its top-left pixel is blank,
        // its top-middle inked.
        var c = Canvas(width: 40, height: 20)
        c.text("1", x: 10, y: 5, scale: 2, .black)
        #expect(c.color(x: 10, y: 5) == .white)
        #expect(c.color(x: 12, y: 5) == .black && c.color(x: 13, y: 6) == .black)
        let w = Canvas.textWidth("ACC 0.5", scale: 2), h = Canvas.textHeight(scale: 2)
        #expect(w == (7 * 4 - 1) * 2 && h == 10)
        var t = Canvas(width: 100, height: 30)
        t.text("ACC 0.5", x: 50, y: 10, scale: 2, .black, anchor: .center)
        var minX = Int.max, maxX = Int.min, minY = Int.max, maxY = Int.min
        for y in 0..<30 { for x in 0..<100 where t.color(x: x, y: y) == .black {
            minX = min(minX, x); maxX = max(maxX, x); minY = min(minY, y); maxY = max(maxY, y)
        } }
        #expect(minX >= 50 - w / 2 && maxX < 50 - w / 2 + w && minY >= 10 && maxY < 10 + h)
        #expect(maxX - minX + 1 == w)   // "A" starts and "5" ends with ink in their outer columns
    }

    @Test func verticalTextReadsUpward() {
        // "L" is X.. X.. X.. X.. XXX: turned a quarter counter-clockwise, its long stroke lies
        // along the bottom row... of the turned glyph: the column x = left edge holds the
        // bottom row XXX of the glyph, i.e. three inked pixels going up from y.
        var c = Canvas(width: 10, height: 10)
        c.text("L", x: 2, y: 8, scale: 1, .black, vertical: true)
        // Glyph pixel (gx, gy) lands at (x + gy, y - 1 - gx): the stroke column gx=0 → row 7.
        for gy in 0..<5 { #expect(c.color(x: 2 + gy, y: 7) == .black, "gy \(gy)") }
        // The foot of the L (gy = 4, gx = 1, 2) goes upward at x = 6.
        #expect(c.color(x: 6, y: 6) == .black && c.color(x: 6, y: 5) == .black)
        #expect(c.color(x: 5, y: 6) == .white)
    }

    @Test func pngRoundTripsExactly() throws {
        var c = Canvas(width: 7, height: 3, background: Color(1, 2, 3))
        c.put(x: 6, y: 2, Color(250, 128, 7))
        let decoded = try PNG.decode(c.pngData(), name: "canvas")
        #expect(decoded.width == 7 && decoded.height == 3 && decoded.channels == 3)
        #expect(decoded.pixels == c.pixels)
    }

    @Test func drawCopiesAnotherCanvasClipped() {
        var big = Canvas(width: 4, height: 4)
        let small = Canvas(width: 3, height: 3, background: .black)
        big.draw(small, x: 2, y: -1)
        #expect(big.color(x: 2, y: 0) == .black && big.color(x: 3, y: 1) == .black)
        #expect(big.color(x: 2, y: 2) == .white && big.color(x: 1, y: 0) == .white)
    }

    @Test func bluesRunsFromLightToDarkMonotonically() {
        let shades = stride(from: 0.0, through: 1.0, by: 0.05).map { Blues.color($0).luminance }
        #expect(zip(shades, shades.dropFirst()).allSatisfy { $0 > $1 })
        #expect(Blues.color(0) == Color(247, 251, 255) && Blues.color(1) == Color(8, 48, 107))   // matplotlib's end stops
        #expect(Blues.color(1).contrastingText == .white && Blues.color(0).contrastingText == .ink)
    }
}
