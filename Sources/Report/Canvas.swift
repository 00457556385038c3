import Augment
import DataPrep

/// A small RGB raster to draw charts on: filled rectangles, lines, and text in the project's
/// bitmap font (`Augment.BitmapFont`, capitals only). Coordinates are pixels from the top-left;
/// everything is clipped to the canvas, so callers never check bounds.
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

    /// A solid straight line drawn with a square pen `thickness` pixels wide (Bresenham's walk).
    public mutating func line(from a: (x: Int, y: Int), to b: (x: Int, y: Int), _ color: Color, thickness: Int = 1) {
        var phase = 0
        line(from: a, to: b, color, thickness: thickness, style: .solid, phase: &phase)
    }

    /// Pixels `text` spans horizontally at `scale` (no trailing gap).
    public static func textWidth(_ text: String, scale: Int) -> Int {
        text.isEmpty ? 0 : (text.count * BitmapFont.advance - (BitmapFont.advance - BitmapFont.glyphWidth)) * scale
    }

    /// Pixels a line of text spans vertically at `scale`.
    public static func textHeight(scale: Int) -> Int { BitmapFont.glyphHeight * scale }

    /// How text is placed relative to the given point.
    public enum Anchor: Sendable { case start, center, end }

    /// Draws `text` (capitals) with its top at `y`; `anchor` says whether `x` is its left edge,
    /// centre or right edge. `vertical` turns it a quarter counter-clockwise, reading upward:
    /// then `x` is its left edge and `anchor` places `y` along the text (`.start`: `y` is just
    /// below the first character, `.end`: `y` is the top of the last).
    public mutating func text(_ text: String, x: Int, y: Int, scale: Int = 2, _ color: Color = .ink,
                              anchor: Anchor = .start, vertical: Bool = false) {
        guard !text.isEmpty else { return }
        let length = Self.textWidth(text, scale: scale), thickness = Self.textHeight(scale: scale)
        // The font draws gray ink on a one-channel image; it serves as a mask here.
        var mask = Image(width: length, height: thickness, channels: 1, filledWith: 0)
        BitmapFont.draw(text, x: 0, y: 0, scale: scale, value: 255, on: &mask)
        let shift = anchor == .start ? 0 : anchor == .center ? length / 2 : length
        mask.pixels.withUnsafeBufferPointer { m in
            for my in 0..<thickness {
                for mx in 0..<length where m[my * length + mx] != 0 {
                    if vertical {
                        // Reading upward: the string's start is at the bottom.
                        let top = y + shift - length
                        put(x: x + my, y: top + (length - 1 - mx), color)
                    } else {
                        put(x: x - shift + mx, y: y + my, color)
                    }
                }
            }
        }
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
