internal import CWarp

extension Warp {
    /// Which loop mixes the interior span of each bilinear row. Both give the same bytes.
    enum SpanKernel: Sendable {
        /// The C kernel (AVX2) where this CPU and OS support it, else `portable`.
        case fastest
        /// The Swift loop in `bilinear`, always (so tests cover it on every machine).
        case portable
    }

    /// `cwarp_simd_level()`, asked once: 1 AVX2, 0 none.
    static let simdLevel = Int32(cwarp_simd_level())

    /// Whether the C span kernel may be used for this image: 32-bit positions and offsets
    /// (sides below 32768 pixels, under 2 GiB) and a channel count it has a kernel for.
    @inline(__always)
    static func simdFits(_ shape: ImageShape) -> Bool {
        shape.width < 32768 && shape.height < 32768 && shape.byteCount < Int(Int32.max) - 4 * shape.width * shape.channels
            && (shape.channels == 1 || shape.channels == 3 || shape.channels == 4)
    }

    /// Mixes `count` interior pixels starting at 16.16 position `(sx, sy)` with the C kernel;
    /// returns how many it wrote (all of them, or 0 when the span is shorter than one vector).
    @inline(__always)
    static func simdSpan(_ level: Int32, _ src: UnsafePointer<UInt8>, stride: Int, channels: Int, _ out: UnsafeMutablePointer<UInt8>,
                         count: Int, sx: Int, sy: Int, stepX: Int, stepY: Int) -> Int {
        Int(cwarp_bilinear_span(level, src, Int32(stride), Int32(channels), out, Int32(count),
                                Int32(truncatingIfNeeded: sx), Int32(truncatingIfNeeded: sy),
                                Int32(truncatingIfNeeded: stepX), Int32(truncatingIfNeeded: stepY)))
    }
}
