import DataPrep
import Testing
@testable import Report

/// Caption text set into blank strips of an existing picture: the picture's own bytes stay,
/// the text is real DejaVu Sans, and it never leaves its strip.
@Suite struct CaptionStampTests {
    /// A 60x40 gray picture: a ramp on top (rows 0..<20), a white strip below.
    static let picture: Image = {
        var pixels = [UInt8](repeating: 255, count: 60 * 40)
        for y in 0..<20 { for x in 0..<60 { pixels[y * 60 + x] = UInt8(x * 4) } }
        return Image(width: 60, height: 40, channels: 1, pixels: pixels)
    }()

    static func stamped(_ lines: [String]) -> Image {
        CaptionStamp.stamp([.init(x: 0, y: 20, width: 60, height: 20, lines: lines)], size: 10, on: picture)
    }

    @Test func textGoesIntoTheStripOnly() {
        let out = Self.stamped(["Rot 12.5"])
        #expect(out.channels == 1 && out.width == 60 && out.height == 40)
        #expect(Array(out.pixels[0..<(20 * 60)]) == Array(Self.picture.pixels[0..<(20 * 60)]))   // the picture, untouched
        let strip = Array(out.pixels[(20 * 60)...])
        #expect(strip.filter { $0 < 128 }.count > 20)   // dark glyph pixels
        #expect(strip.contains { $0 > 0 && $0 < 255 && $0 != 128 })   // anti-aliased edges
        #expect(Self.stamped(["Rot 12.5"]).pixels == out.pixels)   // same bytes every time
        #expect(Self.stamped(["ROT 12.5"]).pixels != out.pixels)   // mixed case is not capitals
    }

    @Test func rgbPicturesStayRGB() {
        let rgb = Image(width: 30, height: 20, channels: 3, pixels: (0..<1800).map { UInt8($0 % 256) })
        let out = CaptionStamp.stamp([.init(x: 0, y: 10, width: 30, height: 10, lines: ["x"])], size: 9, on: rgb)
        #expect(out.channels == 3 && Array(out.pixels[0..<(10 * 30 * 3)]) == Array(rgb.pixels[0..<(10 * 30 * 3)]))
        #expect(CaptionStamp.stamp([], size: 9, on: rgb).pixels == rgb.pixels)
    }

    @Test func longLinesAreCutWithAnEllipsis() {
        let long = "zoom 1.1500000001,0.8123456789"
        let fitted = CaptionStamp.fitted(long, width: 56, size: 10)
        #expect(fitted.hasSuffix("…") && fitted.count < long.count && long.hasPrefix(String(fitted.dropLast())))
        #expect(Typeface.width(fitted, size: 10) <= 56)
        #expect(CaptionStamp.fitted("rot 3", width: 56, size: 10) == "rot 3")
        // Drawn: nothing right of the strip's last 2 px margin... the strip is the picture's width
        // here, so the check is that the cut text stays inside the strip's left 58 columns.
        let out = CaptionStampTests.stamped([long])
        for y in 20..<40 { for x in 58..<60 { #expect(out.pixels[y * 60 + x] == 255) } }
    }
}
