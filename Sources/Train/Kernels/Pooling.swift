/// Pooling kernels for one sample.
enum Pooling {
    /// The window of output (oy, ox) clipped to the image: (y0..<y1, x0..<x1).
    @inline(__always)
    static func window(_ g: ConvGeometry, _ oy: Int, _ ox: Int) -> (Int, Int, Int, Int) {
        let y0 = oy &* g.strideY &- g.padTop, x0 = ox &* g.strideX &- g.padLeft
        return (max(y0, 0), min(y0 &+ g.kernelHeight, g.height), max(x0, 0), min(x0 &+ g.kernelWidth, g.width))
    }

    /// // x (H, W, C) -> y (OH, OW, C): a select per channel, which vectorizes.
    static func maxForward(_ g: ConvGeometry, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>) {
        let c = g.channels
        for oy in 0..<g.outHeight {
            for ox in 0..<g.outWidth {
                let (y0, y1, x0, x1) = window(g, oy, ox)
                let out = y + (oy &* g.outWidth &+ ox) &* c
                let first = x + (y0 &* g.width &+ x0) &* c
                for t in 0..<c { out[t] = first[t] }
                for iy in y0..<y1 {
                    for ix in x0..<x1 {
                        let src = x + (iy &* g.width &+ ix) &* c
                        for t in 0..<c { let v = src[t], o = out[t]; out[t] = v > o ? v : o }
                    }
                }
            }
        }
    }

    /// Sends each output gradient to the first input of its window (scan order) equal to the
    /// window's maximum: `remaining` (C floats) holds the gradient not yet delivered, so every
    /// step is a branch-free select. Overlapping windows add.
    ///
    /// // x (H, W, C), y (OH, OW, C), dy (OH, OW, C) -> dx (H, W, C) (overwritten)
    static func maxBackward(_ g: ConvGeometry, _ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>,
                            _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>,
                            remaining: UnsafeMutablePointer<Float>) {
        let c = g.channels
        // When the windows tile the image exactly, every input pixel belongs to one window:
        // assign each once instead of zeroing dx and adding.
        if windowsTile(g) { return maxBackwardTiled(g, x, y, dy, dx) }
        dx.update(repeating: 0, count: g.inputCount)
        for oy in 0..<g.outHeight {
            for ox in 0..<g.outWidth {
                let (y0, y1, x0, x1) = window(g, oy, ox)
                let o = (oy &* g.outWidth &+ ox) &* c
                let peak = y + o
                remaining.update(from: dy + o, count: c)
                for iy in y0..<y1 {
                    for ix in x0..<x1 {
                        let i = (iy &* g.width &+ ix) &* c
                        let src = x + i, dst = dx + i
                        for t in 0..<c {
                            let hit = src[t] == peak[t], r = remaining[t]
                            dst[t] += hit ? r : 0
                            remaining[t] = hit ? 0 : r
                        }
                    }
                }
            }
        }
    }

    /// `maxBackward` when the windows tile the image (each input pixel in one window): the
    /// undelivered gradient stays in a register, 4 channels at a time, and every input pixel is
    /// written once. Same values as the general loop (the same first-match select). Measured on
    /// the dogs-cats preset's first pool (78x78x32, b32, one thread, medians of 3 interleaved
    /// runs): 5.35 -> 4.30 ms backward; the general loop kept `remaining` in memory (7.3% of
    /// the step in perf).
    private static func maxBackwardTiled(_ g: ConvGeometry, _ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>,
                                         _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>) {
        let c = g.channels, vectorEnd = c & ~3
        for oy in 0..<g.outHeight {
            for ox in 0..<g.outWidth {
                let o = (oy &* g.outWidth &+ ox) &* c
                let peak = y + o, grad = dy + o
                let first = (oy &* g.strideY &* g.width &+ ox &* g.strideX) &* c
                var t = 0
                while t < vectorEnd {
                    let top = UnsafeRawPointer(peak + t).loadUnaligned(as: SIMD4<Float>.self)
                    var r = UnsafeRawPointer(grad + t).loadUnaligned(as: SIMD4<Float>.self)
                    for ky in 0..<g.kernelHeight {
                        for kx in 0..<g.kernelWidth {
                            let i = first &+ (ky &* g.width &+ kx) &* c &+ t
                            let hit = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD4<Float>.self) .== top
                            UnsafeMutableRawPointer(dx + i).storeBytes(of: SIMD4<Float>(repeating: 0).replacing(with: r, where: hit),
                                                                       as: SIMD4<Float>.self)
                            r.replace(with: 0, where: hit)
                        }
                    }
                    t &+= 4
                }
                while t < c {
                    var r = grad[t]
                    for ky in 0..<g.kernelHeight {
                        for kx in 0..<g.kernelWidth {
                            let i = first &+ (ky &* g.width &+ kx) &* c &+ t
                            let hit = x[i] == peak[t]
                            dx[i] = hit ? r : 0
                            r = hit ? 0 : r
                        }
                    }
                    t &+= 1
                }
            }
        }
    }

    static func averageForward(_ g: ConvGeometry, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>) {
        let c = g.channels
        for oy in 0..<g.outHeight {
            for ox in 0..<g.outWidth {
                let (y0, y1, x0, x1) = window(g, oy, ox)
                let out = y + (oy &* g.outWidth &+ ox) &* c
                for t in 0..<c { out[t] = 0 }
                for iy in y0..<y1 {
                    for ix in x0..<x1 {
                        let src = x + (iy &* g.width &+ ix) &* c
                        for t in 0..<c { out[t] += src[t] }
                    }
                }
                let scale = 1 / Float((y1 - y0) * (x1 - x0))
                for t in 0..<c { out[t] *= scale }
            }
        }
    }

    static func averageBackward(_ g: ConvGeometry, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>) {
        let c = g.channels
        // When the windows tile the image exactly, every input pixel belongs to one window:
        // assign instead of zeroing dx and adding.
        let tiles = windowsTile(g)
        if !tiles { dx.update(repeating: 0, count: g.inputCount) }
        for oy in 0..<g.outHeight {
            for ox in 0..<g.outWidth {
                let (y0, y1, x0, x1) = window(g, oy, ox)
                let src = dy + (oy &* g.outWidth &+ ox) &* c
                let scale = 1 / Float((y1 - y0) * (x1 - x0))
                for iy in y0..<y1 {
                    for ix in x0..<x1 {
                        let dst = dx + (iy &* g.width &+ ix) &* c
                        for t in 0..<c { dst[t] += src[t] * scale }
                    }
                }
            }
        }
    }

    /// Whether the pooling windows tile the input exactly (e.g. 2x2 stride 2 on an even size,
    /// no padding): then each input pixel lies in exactly one window.
    @inline(__always)
    static func windowsTile(_ g: ConvGeometry) -> Bool {
        g.strideY == g.kernelHeight && g.strideX == g.kernelWidth && g.padTop == 0 && g.padLeft == 0
            && g.outHeight &* g.strideY == g.height && g.outWidth &* g.strideX == g.width
    }
}
