import Testing
@testable import DataPrep

// Expected luma values come from Pillow's fixed-point formula (libImaging/Convert.c, `L24`):
//   L = (R * 19595 + G * 38470 + B * 7471 + 0x8000) >> 16
// worked out by hand for each case below.

@Suite("Grayscale")
struct GrayscaleTests {
    private func rgb(_ values: [UInt8]) -> Image {
        Image(width: values.count / 3, height: 1, channels: 3, pixels: values)
    }

    @Test("primaries, white and black match Pillow's convert('L')")
    func primaries() {
        // red:   255 * 19595 + 32768 = 5029493,  >> 16 = 76 (76.74)
        // green: 255 * 38470 + 32768 = 9842618,  >> 16 = 150 (150.19)
        // blue:  255 * 7471  + 32768 = 1937873,  >> 16 = 29 (29.57)
        // white: 255 * 65536 + 32768,            >> 16 = 255; black: 32768 >> 16 = 0
        // yellow: 255 * (19595 + 38470) + 32768 = 14839343, >> 16 = 226 (226.43)
        let image = rgb([255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255, 0, 0, 0, 255, 255, 0])
        #expect(image.grayscale() == Image(width: 6, height: 1, channels: 1, pixels: [76, 150, 29, 255, 0, 226]))
    }

    @Test("rounding is Pillow's: (128, 64, 32) -> 79")
    func rounding() {
        // 128*19595 + 64*38470 + 32*7471 + 32768 = 2508160 + 2462080 + 239072 + 32768 = 5242080,
        // >> 16 = 79 (79.99: the +0x8000 is the only rounding, the shift truncates).
        #expect(rgb([128, 64, 32]).grayscale().pixels == [79])
    }

    @Test("RGBA ignores alpha")
    func rgbaIgnoresAlpha() {
        let image = Image(width: 2, height: 1, channels: 4, pixels: [255, 0, 0, 0, 255, 0, 0, 255])
        #expect(image.grayscale().pixels == [76, 76])
    }

    @Test("gray input is returned unchanged")
    func grayIsIdentity() {
        let image = Image(width: 3, height: 1, channels: 1, pixels: [1, 2, 3])
        #expect(image.grayscale() == image)
        #expect(image.converted(to: .gray) == image)
    }

    @Test("rgb() replicates gray, drops alpha, keeps RGB")
    func toRGB() {
        let grayImage = Image(width: 2, height: 1, channels: 1, pixels: [7, 200])
        #expect(grayImage.rgb() == Image(width: 2, height: 1, channels: 3, pixels: [7, 7, 7, 200, 200, 200]))
        let rgba = Image(width: 2, height: 1, channels: 4, pixels: [1, 2, 3, 4, 5, 6, 7, 8])
        #expect(rgba.rgb() == Image(width: 2, height: 1, channels: 3, pixels: [1, 2, 3, 5, 6, 7]))
        let color = rgb([9, 8, 7])
        #expect(color.rgb() == color)
        #expect(grayImage.converted(to: .rgb) == grayImage.rgb())
    }

    @Test("every pixel of a larger image follows the formula")
    func wholeImage() {
        var rng = ResizeTestRandom(seed: 17)
        let image = rng.image(width: 31, height: 9, channels: 3)
        let expected = (0..<(31 * 9)).map { i -> UInt8 in
            let r = UInt32(image.pixels[3 * i]), g = UInt32(image.pixels[3 * i + 1]), b = UInt32(image.pixels[3 * i + 2])
            return UInt8((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16)
        }
        #expect(image.grayscale().pixels == expected)
    }
}
