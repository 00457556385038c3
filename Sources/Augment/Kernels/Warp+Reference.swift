extension Warp {
    /// The plain `Double` version of `apply` that the tests hold the fast kernels to: every
    /// output pixel computes its source position from scratch and mixes four taps with exact
    /// weights (`nearest` rounds half up, like the fast kernel).
    // in (H,W,C) u8, map (2x3, output -> input) -> out (H,W,C) u8
    public static func reference(_ src: [UInt8], shape: ImageShape, map: AffineMatrix, interpolation: Interpolation,
                                 fill: FillMode, cval: UInt8) -> [UInt8] {
        let w = shape.width, h = shape.height, ch = shape.channels
        var out = [UInt8](repeating: 0, count: shape.byteCount)
        func tap(_ x: Int, _ y: Int, _ c: Int) -> Double {
            let sx = fill.sourceIndex(x, size: w), sy = fill.sourceIndex(y, size: h)
            return sx < 0 || sy < 0 ? Double(cval) : Double(src[(sy * w + sx) * ch + c])
        }
        for y in 0..<h {
            for x in 0..<w {
                let p = map.apply(x: Double(x), y: Double(y))
                for c in 0..<ch {
                    let value: Double
                    switch interpolation {
                    case .nearest:
                        value = tap(Int((p.x + 0.5).rounded(.down)), Int((p.y + 0.5).rounded(.down)), c)
                    case .bilinear:
                        let x0 = p.x.rounded(.down), y0 = p.y.rounded(.down)
                        let fx = p.x - x0, fy = p.y - y0
                        let ix = Int(x0), iy = Int(y0)
                        value = (tap(ix, iy, c) * (1 - fx) + tap(ix + 1, iy, c) * fx) * (1 - fy)
                            + (tap(ix, iy + 1, c) * (1 - fx) + tap(ix + 1, iy + 1, c) * fx) * fy
                    }
                    out[(y * w + x) * ch + c] = UInt8(max(0, min(255, value.rounded())))
                }
            }
        }
        return out
    }
}
