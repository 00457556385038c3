/// Naive per-pixel versions of the resize kernels, kept beside the fast ones so tests can check
/// the table building, row caching and channel specialisation against plain formulas.
///
/// `bilinear` and `nearest` evaluate OpenCV's formulas directly for every output byte and must
/// match the fast kernels exactly. `area` is the *mathematical* box average (exact coverage,
/// Double, rounded half up): the fast kernel's Float accumulation, like OpenCV's, may differ by
/// one level, which is what the tests allow.
enum ResizeReference {
    static func nearest(_ image: Image, width: Int, height: Int) -> Image {
        let s = ResizeScales(source: (image.width, image.height), target: (width, height))
        return build(image, width, height) { x, y, c in
            let sx = min(Int((Double(x) * s.x).rounded(.down)), image.width - 1)
            let sy = min(Int((Double(y) * s.y).rounded(.down)), image.height - 1)
            return image.pixels[(sy * image.width + sx) * image.channels + c]
        }
    }

    /// OpenCV INTER_LINEAR (or INTER_AREA's enlarging variant with `areaMode`), without the 2x2
    /// shortcut: callers compare it only where `resizeRegion` takes the linear kernel.
    static func bilinear(_ image: Image, width: Int, height: Int, areaMode: Bool = false) -> Image {
        let s = ResizeScales(source: (image.width, image.height), target: (width, height))
        return build(image, width, height) { x, y, c in
            var (sx, fx) = linearSamplePosition(x, scale: s.x, inverse: s.inverseX, areaMode: areaMode)
            if sx < 0 { sx = 0; fx = 0 }
            if sx >= image.width - 1 { sx = image.width - 1; fx = 0 }
            let sx1 = min(sx + 1, image.width - 1)
            let (sy, fy) = linearSamplePosition(y, scale: s.y, inverse: s.inverseY, areaMode: areaMode)
            let rows = [min(max(sy, 0), image.height - 1), min(max(sy + 1, 0), image.height - 1)]
            let a0 = fixedPointWeight(1 - fx), a1 = fixedPointWeight(fx)
            let b = [fixedPointWeight(1 - fy), fixedPointWeight(fy)]
            var total: Int32 = 0
            for k in 0..<2 {
                let p = { (col: Int) in Int32(image.pixels[(rows[k] * image.width + col) * image.channels + c]) }
                let t = p(sx) * a0 + p(sx1) * a1
                total += (b[k] * (t >> 4)) >> 16
            }
            return UInt8((total + 2) >> 2)
        }
    }

    /// The exact average over each output cell `[x * W / OW, (x + 1) * W / OW)` (times the same
    /// on y), partial pixels weighted by their covered fraction, rounded half up.
    static func area(_ image: Image, width: Int, height: Int) -> Image {
        let cx = Double(image.width) / Double(width), cy = Double(image.height) / Double(height)
        func coverage(_ lo: Double, _ hi: Double, _ i: Int) -> Double {
            max(0, min(hi, Double(i + 1)) - max(lo, Double(i)))
        }
        return build(image, width, height) { x, y, c in
            let x0 = Double(x) * cx, x1 = x0 + cx, y0 = Double(y) * cy, y1 = y0 + cy
            var total = 0.0
            for sy in Int(y0)..<min(image.height, Int(y1.rounded(.up))) {
                for sx in Int(x0)..<min(image.width, Int(x1.rounded(.up))) {
                    let w = coverage(x0, x1, sx) * coverage(y0, y1, sy)
                    total += w * Double(image.pixels[(sy * image.width + sx) * image.channels + c])
                }
            }
            return UInt8(min(255, (total / (cx * cy) + 0.5).rounded(.down)))
        }
    }

    private static func build(_ image: Image, _ width: Int, _ height: Int,
                              _ value: (Int, Int, Int) -> UInt8) -> Image {
        var out = [UInt8]()
        out.reserveCapacity(width * height * image.channels)
        for y in 0..<height { for x in 0..<width { for c in 0..<image.channels { out.append(value(x, y, c)) } } }
        return Image(width: width, height: height, channels: image.channels, pixels: out)
    }
}
