import DataPrep
import Testing
@testable import Report

/// The raster that cairo renders into, pixel by pixel.
@Suite struct CanvasTests {
    @Test func fillIsClippedAndExact() {
        var c = Canvas(width: 5, height: 4)
        c.fill(x: 3, y: -2, width: 10, height: 4, .black)   // covers x 3...4, y 0...1
        for y in 0..<4 { for x in 0..<5 {
            let inside = x >= 3 && y <= 1
            #expect(c.color(x: x, y: y) == (inside ? .black : .white), "(\(x), \(y))")
        } }
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
