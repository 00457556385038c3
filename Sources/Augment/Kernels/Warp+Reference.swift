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

extension Warp {
    /// The fixed-point bilinear kernel before row-span clipping: every output pixel tests its
    /// taps. The tests hold `bilinear` to it byte for byte.
    // in (H,W,C) u8, map (2x3, output -> input) -> out (H,W,C) u8
    static func fixedPointReference(_ src: [UInt8], shape: ImageShape, map: AffineMatrix, fill: FillMode, cval: UInt8) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: shape.byteCount)
        src.withUnsafeBufferPointer { s in
            out.withUnsafeMutableBufferPointer { d in
                switch shape.channels {
                case 1: bilinearPerPixel(s.baseAddress!, d.baseAddress!, shape, map, fill, cval, Gray.self)
                case 3: bilinearPerPixel(s.baseAddress!, d.baseAddress!, shape, map, fill, cval, RGB.self)
                default: bilinearPerPixel(s.baseAddress!, d.baseAddress!, shape, map, fill, cval, RGBA.self)
                }
            }
        }
        return out
    }

    static func bilinearPerPixel<L: PixelLayout>(_ src: UnsafePointer<UInt8>, _ dst: UnsafeMutablePointer<UInt8>, _ shape: ImageShape,
                                         _ m: AffineMatrix, _ fill: FillMode, _ cval: UInt8, _: L.Type) {
        let channels = L.channels
        let w = shape.width, h = shape.height
        let stride = w &* channels
        let stepX = fixed(m.a), stepY = fixed(m.c)
        let lastX = UInt(w &- 1), lastY = UInt(h &- 1)
        var out = dst
        for y in 0..<h {
            var sx = fixed(m.b * Double(y) + m.tx), sy = fixed(m.d * Double(y) + m.ty)
            for _ in 0..<w {
                // Round the position to 1/256 pixel, then split into integer part and weight.
                let px = (sx &+ 128) &>> 8, py = (sy &+ 128) &>> 8
                let ix = px &>> 8, iy = py &>> 8
                let fx = UInt32(truncatingIfNeeded: px & 255), fy = UInt32(truncatingIfNeeded: py & 255)
                if UInt(bitPattern: ix) < lastX && UInt(bitPattern: iy) < lastY {
                    let w11 = fx &* fy, w01 = (fx &<< 8) &- w11, w10 = (fy &<< 8) &- w11
                    let w00 = 65536 &- w01 &- w10 &- w11
                    let p = src + (iy &* stride &+ ix &* channels)
                    let q = p + stride
                    for c in 0..<channels {
                        let v = UInt32(p[c]) &* w00 &+ UInt32(p[c &+ channels]) &* w01
                            &+ UInt32(q[c]) &* w10 &+ UInt32(q[c &+ channels]) &* w11 &+ 32768
                        out[c] = UInt8(truncatingIfNeeded: v &>> 16)
                    }
                } else {
                    borderBilinear(src, out, w: w, h: h, channels: channels, ix: ix, iy: iy, fx: fx, fy: fy, fill: fill, cval: cval)
                }
                out += channels
                sx &+= stepX; sy &+= stepY
            }
        }
    }

}
