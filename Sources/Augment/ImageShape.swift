import DataPrep

/// The size of the images a pipeline works on: every operation keeps it (crops are resized or
/// cropped back to it), so a dataset's samples stay one tensor shape.
public struct ImageShape: Equatable, Hashable, Sendable, Codable {
    public var width: Int
    public var height: Int
    public var channels: Int

    public init(width: Int, height: Int, channels: Int) {
        precondition(width > 0 && height > 0 && (1...4).contains(channels),
                     "ImageShape needs positive sizes and 1...4 channels, got \(width)x\(height)x\(channels)")
        self.width = width; self.height = height; self.channels = channels
    }

    /// Bytes of one HWC image.
    public var byteCount: Int { width * height * channels }
}

extension Image {
    /// The image's shape.
    public var shape: ImageShape { ImageShape(width: width, height: height, channels: channels) }
}

/// Mutable HWC pixels that in-place kernels work on (a view, it owns nothing).
public struct PixelView {
    public let base: UnsafeMutablePointer<UInt8>
    public let shape: ImageShape

    public init(base: UnsafeMutablePointer<UInt8>, shape: ImageShape) {
        self.base = base; self.shape = shape
    }

    public var width: Int { shape.width }
    public var height: Int { shape.height }
    public var channels: Int { shape.channels }
    public var byteCount: Int { shape.byteCount }
}
