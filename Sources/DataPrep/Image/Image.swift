/// One decoded 8-bit image, rows top to bottom, pixels interleaved (HWC).
///
/// The plain value every codec returns and every image op takes. `channels` is 1 (gray),
/// 3 (RGB) or 4 (RGBA).
public struct Image: Equatable, Sendable {
    public var width: Int
    public var height: Int
    public var channels: Int
    /// `height * width * channels` bytes, row-major, channel fastest.
    public var pixels: [UInt8]

    public init(width: Int, height: Int, channels: Int, pixels: [UInt8]) {
        precondition(width >= 0 && height >= 0, "Image size must be non-negative, got \(width)x\(height)")
        precondition([1, 3, 4].contains(channels), "Image channels must be 1, 3 or 4, got \(channels)")
        precondition(pixels.count == width * height * channels,
                     "Image \(width)x\(height)x\(channels) needs \(width * height * channels) bytes, got \(pixels.count)")
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = pixels
    }

    /// A `width`x`height` image with every byte set to `value`.
    public init(width: Int, height: Int, channels: Int, filledWith value: UInt8 = 0) {
        self.init(width: width, height: height, channels: channels,
                  pixels: [UInt8](repeating: value, count: width * height * channels))
    }

    /// The bytes of pixel (x, y), `channels` long, indexed from 0.
    public func pixel(x: Int, y: Int) -> [UInt8] {
        let start = (y * width + x) * channels
        return Array(pixels[start ..< start + channels])
    }
}

/// The colour layout a decoder should produce, whatever the file stores.
public enum ColorMode: String, Sendable, CaseIterable, Codable {
    case gray
    case rgb

    public var channels: Int { self == .gray ? 1 : 3 }
}
