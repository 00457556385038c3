import DataPrep
@testable import Augment

/// Small images with formula pixels, and a one-call warp, for the kernel tests.
enum TestImages {
    /// `width`x`height`x`channels` with byte `(x, y, c)` = `value(x, y, c)`.
    static func make(_ width: Int, _ height: Int, channels: Int = 1, _ value: (Int, Int, Int) -> Int) -> Image {
        var pixels: [UInt8] = []
        for y in 0..<height { for x in 0..<width { for c in 0..<channels { pixels.append(UInt8(value(x, y, c) & 255)) } } }
        return Image(width: width, height: height, channels: channels, pixels: pixels)
    }

    /// Rows of a gray image, for readable expectations.
    static func gray(_ rows: [[UInt8]]) -> Image {
        Image(width: rows[0].count, height: rows.count, channels: 1, pixels: rows.flatMap { $0 })
    }

    /// Rows of pixels of a gray image.
    static func rows(_ image: Image) -> [[UInt8]] {
        (0..<image.height).map { y in Array(image.pixels[(y * image.width)..<((y + 1) * image.width)]) }
    }

    /// `Warp.apply` on an `Image`.
    static func warp(_ image: Image, _ map: AffineMatrix, _ interpolation: Interpolation = .bilinear,
                     fill: FillMode = .constant, cval: UInt8 = 0) -> Image {
        var out = [UInt8](repeating: 0, count: image.pixels.count)
        image.pixels.withUnsafeBufferPointer { s in
            out.withUnsafeMutableBufferPointer { d in
                Warp.apply(s.baseAddress!, into: d.baseAddress!, shape: image.shape, map: map,
                           interpolation: interpolation, fill: fill, cval: cval)
            }
        }
        return Image(width: image.width, height: image.height, channels: image.channels, pixels: out)
    }

    /// A pixel kernel applied to a copy of `image`.
    static func inPlace(_ image: Image, _ kernel: (PixelView) -> Void) -> Image {
        var copy = image
        copy.pixels.withUnsafeMutableBufferPointer { kernel(PixelView(base: $0.baseAddress!, shape: image.shape)) }
        return copy
    }
}
