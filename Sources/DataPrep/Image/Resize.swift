/// How `resized` samples the source, named after and matching OpenCV's `cv2.resize` flags so
/// numbers users computed with OpenCV carry over byte for byte.
public enum ResizeFilter: String, CaseIterable, Sendable, Codable {
    /// `INTER_NEAREST`: source pixel `floor(dst * scale)`; no new values are made.
    case nearest
    /// `INTER_LINEAR`: bilinear with half-pixel centres, `src = (dst + 0.5) * scale - 0.5`,
    /// clamped at the edges, in OpenCV's 11-bit fixed point.
    case bilinear
    /// `INTER_AREA`: exact box average with fractional coverage when shrinking (a plain block
    /// mean for integer factors); bilinear-like when enlarging, as OpenCV does.
    case area
}

/// What to do when the target aspect ratio differs from the source's.
public enum AspectMode: Hashable, Sendable {
    /// Scale each axis independently (the image may look squashed).
    case stretch
    /// Cut the largest centred window with the target aspect ratio, then resize it: nothing is
    /// squashed, the edges of the long side are lost.
    case crop
    /// Letterbox: fit the whole image inside the target, centred, and fill the rest with `value`.
    case pad(value: UInt8)
}

extension Image {
    /// This image resized to `width`x`height` with OpenCV's semantics (see `ResizeFilter`).
    ///
    /// Returns `self` unchanged (bit-exact) when the size already matches and nothing is cropped
    /// or padded, as `cv2.resize` copies in that case.
    ///
    /// - Parameters:
    ///   - width: target width in pixels, ≥ 1.
    ///   - height: target height in pixels, ≥ 1.
    ///   - filter: sampling filter; `.area` by default, the right choice for shrinking photos.
    ///   - aspect: `.stretch` (default), `.crop` or `.pad(value:)`.
    /// - Complexity: O(source pixels + target pixels); tables are built once per call.
    public func resized(width: Int, height: Int, filter: ResizeFilter = .area,
                        aspect: AspectMode = .stretch) -> Image {
        if width == self.width, height == self.height { return self }
        precondition(width > 0 && height > 0, "resize target must be at least 1x1, got \(width)x\(height)")
        let count = width * height * channels
        let out = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            resize(into: buffer, width: width, height: height, filter: filter, aspect: aspect)
            initialized = count
        }
        return Image(width: width, height: height, channels: channels, pixels: out)
    }

    /// Resizes this image straight into caller memory of exactly `width * height * channels`
    /// bytes, e.g. one slot of an NHWC batch, so a loader allocates nothing per image.
    public func resize(into dst: UnsafeMutableBufferPointer<UInt8>, width: Int, height: Int,
                       filter: ResizeFilter = .area, aspect: AspectMode = .stretch) {
        pixels.withUnsafeBufferPointer { src in
            Image.resizePixels(src, width: self.width, height: self.height, channels: channels,
                               into: dst, toWidth: width, toHeight: height, filter: filter, aspect: aspect)
        }
    }

    /// Buffer-level resize: `src` holds `height` rows of `width` pixels of `channels` bytes (HWC,
    /// rows packed), `dst` receives `toHeight` x `toWidth` x `channels` bytes.
    ///
    /// The entry point for loaders that decode into scratch memory and write into a batch.
    public static func resizePixels(
        _ src: UnsafeBufferPointer<UInt8>, width: Int, height: Int, channels: Int,
        into dst: UnsafeMutableBufferPointer<UInt8>, toWidth: Int, toHeight: Int,
        filter: ResizeFilter = .area, aspect: AspectMode = .stretch
    ) {
        precondition([1, 3, 4].contains(channels), "resize supports 1, 3 or 4 channels, got \(channels)")
        precondition(width > 0 && height > 0, "resize source must be at least 1x1, got \(width)x\(height)")
        precondition(toWidth > 0 && toHeight > 0, "resize target must be at least 1x1, got \(toWidth)x\(toHeight)")
        precondition(src.count == width * height * channels,
                     "resize source \(width)x\(height)x\(channels) needs \(width * height * channels) bytes, got \(src.count)")
        precondition(dst.count == toWidth * toHeight * channels,
                     "resize target \(toWidth)x\(toHeight)x\(channels) needs \(toWidth * toHeight * channels) bytes, got \(dst.count)")
        guard let srcBase = src.baseAddress, let dstBase = dst.baseAddress else { return }

        let plan = ResizeGeometry(sourceWidth: width, sourceHeight: height,
                                  targetWidth: toWidth, targetHeight: toHeight, aspect: aspect)
        let rowStride = width * channels
        let source = PixelRegion(
            base: srcBase + plan.source.y * rowStride + plan.source.x * channels,
            width: plan.source.width, height: plan.source.height, channels: channels, rowStride: rowStride)
        let target = MutablePixelRegion(
            base: dstBase + (plan.target.y * toWidth + plan.target.x) * channels,
            width: plan.target.width, height: plan.target.height, channels: channels,
            rowStride: toWidth * channels)
        if case let .pad(value) = aspect {
            fillBorder(dstBase, width: toWidth, height: toHeight, channels: channels,
                       keeping: plan.target, with: value)
        }
        resizeRegion(source, into: target, filter: filter)
    }
}

/// Picks the kernel the way `cv::resize` does for 8-bit images, so every case rounds like
/// OpenCV: same size copies; `INTER_LINEAR` at exactly 1/2 on both axes is OpenCV's integer
/// block mean; `INTER_AREA` shrinking uses the block mean for integer factors and fractional
/// coverage otherwise, and falls back to its bilinear variant when either axis grows.
func resizeRegion(_ src: PixelRegion, into dst: MutablePixelRegion, filter: ResizeFilter) {
    if src.width == dst.width && src.height == dst.height {
        copyRegion(src, into: dst)
        return
    }
    let scales = ResizeScales(source: (src.width, src.height), target: (dst.width, dst.height))
    switch filter {
    case .nearest:
        resizeNearest(src, into: dst, scales: scales)
    case .bilinear:
        if let factors = scales.integerFactors, factors == (2, 2) {
            resizeAreaInteger(src, into: dst, factorX: 2, factorY: 2)
        } else {
            resizeLinear(src, into: dst, scales: scales, areaMode: false)
        }
    case .area:
        if scales.x >= 1 && scales.y >= 1 {
            if let (fx, fy) = scales.integerFactors {
                resizeAreaInteger(src, into: dst, factorX: fx, factorY: fy)
            } else {
                resizeAreaFractional(src, into: dst, scales: scales)
            }
        } else {
            resizeLinear(src, into: dst, scales: scales, areaMode: true)
        }
    }
}

/// Source-per-target scale factors computed exactly as OpenCV does (`inv = dst / src` in double,
/// then `scale = 1 / inv`), because its sample positions depend on those roundings: for
/// 14 -> 18, `scale` is 0.7777777777777777 and nearest-neighbour output 9 reads source 6, where
/// exact arithmetic (9 * 14 / 18 = 7) would read source 7.
struct ResizeScales {
    let inverseX: Double, inverseY: Double
    let x: Double, y: Double

    init(source: (Int, Int), target: (Int, Int)) {
        inverseX = Double(target.0) / Double(source.0)
        inverseY = Double(target.1) / Double(source.1)
        x = 1.0 / inverseX
        y = 1.0 / inverseY
    }

    /// `(kx, ky)` when both scales are integers within `DBL_EPSILON` (OpenCV's `is_area_fast`).
    var integerFactors: (Int, Int)? {
        let ix = x.rounded(.toNearestOrEven), iy = y.rounded(.toNearestOrEven)
        guard abs(x - ix) < Double.ulpOfOne, abs(y - iy) < Double.ulpOfOne, ix >= 1, iy >= 1 else { return nil }
        return (Int(ix), Int(iy))
    }
}

/// A read-only window of 8-bit HWC pixels; `rowStride` (in bytes) may exceed
/// `width * channels`, so a centre crop is a view, not a copy.
struct PixelRegion {
    let base: UnsafePointer<UInt8>
    let width: Int, height: Int, channels: Int
    let rowStride: Int

    init(base: UnsafePointer<UInt8>, width: Int, height: Int, channels: Int, rowStride: Int) {
        self.base = base; self.width = width; self.height = height
        self.channels = channels; self.rowStride = rowStride
    }

    @inline(__always) func row(_ y: Int) -> UnsafePointer<UInt8> { base + y &* rowStride }
}

/// A writable window of 8-bit HWC pixels inside a larger buffer (a letterbox's inner box).
struct MutablePixelRegion {
    let base: UnsafeMutablePointer<UInt8>
    let width: Int, height: Int, channels: Int
    let rowStride: Int

    @inline(__always) func row(_ y: Int) -> UnsafeMutablePointer<UInt8> { base + y &* rowStride }
}

private func copyRegion(_ src: PixelRegion, into dst: MutablePixelRegion) {
    let rowBytes = src.width * src.channels
    for y in 0..<src.height {
        dst.row(y).update(from: src.row(y), count: rowBytes)
    }
}

/// Writes `value` everywhere in the `width`x`height` buffer outside `inner`.
private func fillBorder(_ base: UnsafeMutablePointer<UInt8>, width: Int, height: Int, channels: Int,
                        keeping inner: PixelRect, with value: UInt8) {
    let rowBytes = width * channels
    for y in 0..<height {
        let row = base + y * rowBytes
        if y < inner.y || y >= inner.y + inner.height {
            row.update(repeating: value, count: rowBytes)
        } else {
            row.update(repeating: value, count: inner.x * channels)
            let right = (inner.x + inner.width) * channels
            (row + right).update(repeating: value, count: rowBytes - right)
        }
    }
}
