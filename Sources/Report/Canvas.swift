import DataPrep

/// A small RGB raster: what a `Drawing` becomes when cairo renders it (`Drawing.rasterized()`),
/// read back pixel by pixel by the tests and encoded as PNG. Coordinates are pixels from the
/// top-left; fills are clipped to the canvas, so callers never check bounds.
public struct Canvas: Equatable, Sendable {
    public let width: Int
    public let height: Int
    /// `width * height * 3` bytes, row-major RGB.
    public private(set) var pixels: [UInt8]

    public init(width: Int, height: Int, background: Color = .white) {
        precondition(width > 0 && height > 0, "canvas needs a positive size, got \(width)x\(height)")
        self.width = width; self.height = height
        pixels = [UInt8](repeating: 0, count: width * height * 3)
        fill(x: 0, y: 0, width: width, height: height, background)
    }

    /// Pixels already rendered (`width * height * 3` bytes, row-major RGB).
    init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(width > 0 && height > 0 && pixels.count == width * height * 3, "canvas of \(width)x\(height) needs \(width * height * 3) bytes, got \(pixels.count)")
        self.width = width; self.height = height; self.pixels = pixels
    }

    /// The colour at (x, y).
    public func color(x: Int, y: Int) -> Color {
        precondition(x >= 0 && y >= 0 && x < width && y < height, "(\(x), \(y)) is outside the \(width)x\(height) canvas")
        let i = (y * width + x) * 3
        return Color(pixels[i], pixels[i + 1], pixels[i + 2])
    }

    /// Fills the rectangle (clipped).
    public mutating func fill(x: Int, y: Int, width w: Int, height h: Int, _ color: Color) {
        let x0 = max(0, x), y0 = max(0, y), x1 = min(width, x + w), y1 = min(height, y + h)
        guard x0 < x1, y0 < y1 else { return }
        let stride = width
        pixels.withUnsafeMutableBufferPointer { p in
            for row in y0..<y1 {
                var i = (row * stride + x0) * 3
                for _ in x0..<x1 {
                    p[i] = color.r; p[i + 1] = color.g; p[i + 2] = color.b
                    i += 3
                }
            }
        }
    }

    /// A one-pixel rectangle outline.
    public mutating func stroke(x: Int, y: Int, width w: Int, height h: Int, _ color: Color) {
        fill(x: x, y: y, width: w, height: 1, color)
        fill(x: x, y: y + h - 1, width: w, height: 1, color)
        fill(x: x, y: y, width: 1, height: h, color)
        fill(x: x + w - 1, y: y, width: 1, height: h, color)
    }

    /// Sets one pixel; outside the canvas does nothing.
    public mutating func put(x: Int, y: Int, _ color: Color) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        let i = (y * width + x) * 3
        pixels[i] = color.r; pixels[i + 1] = color.g; pixels[i + 2] = color.b
    }

    /// Copies `other` with its top-left corner at (x, y) (clipped).
    public mutating func draw(_ other: Canvas, x: Int, y: Int) {
        for row in 0..<other.height where y + row >= 0 && y + row < height {
            let x0 = max(0, x), x1 = min(width, x + other.width)
            guard x0 < x1 else { return }
            let src = (row * other.width + (x0 - x)) * 3, dst = ((y + row) * width + x0) * 3
            pixels.replaceSubrange(dst..<(dst + (x1 - x0) * 3), with: other.pixels[src..<(src + (x1 - x0) * 3)])
        }
    }

    /// The canvas as an RGB image.
    public var image: Image { Image(width: width, height: height, channels: 3, pixels: pixels) }

    /// The canvas encoded as PNG.
    public func pngData() throws -> [UInt8] { try PNG.encode(image) }

    /// Writes the canvas as a PNG file, atomically.
    public func writePNG(to path: String) throws { try PNG.write(image, to: path) }
}
