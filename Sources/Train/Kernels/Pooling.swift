internal import CKernels

/// Pooling kernels for one sample.
enum Pooling {
    /// The window of output (oy, ox) clipped to the image: (y0..<y1, x0..<x1).
    @inline(__always)
    static func window(_ g: ConvGeometry, _ oy: Int, _ ox: Int) -> (Int, Int, Int, Int) {
        let y0 = oy &* g.strideY &- g.padTop, x0 = ox &* g.strideX &- g.padLeft
        return (max(y0, 0), min(y0 &+ g.kernelHeight, g.height), max(x0, 0), min(x0 &+ g.kernelWidth, g.width))
    }

    /// // x (H, W, C) -> y (OH, OW, C): a select per channel, in C at the CPU's level `isa`
    /// (`ck_max_pool`: the window's first pixel, then `out = v > out ? v : out` in scan order).
    static func maxForward(_ g: ConvGeometry, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, isa: KernelISA) {
        ck_max_pool(isa.code, x, g.height, g.width, g.channels, g.kernelHeight, g.kernelWidth, g.strideY, g.strideX,
                    g.padTop, g.padLeft, g.outHeight, g.outWidth, y)
    }

    /// Sends each output gradient to the first input of its window (scan order) equal to the
    /// window's maximum: `remaining` (C floats) holds the gradient not yet delivered, so every
    /// step is a branch-free select. Overlapping windows add. In C at the CPU's level `isa`
    /// (`ck_max_pool_backward`).
    ///
    /// When the windows tile the image (each input pixel in one window) the C kernel
    /// `ck_max_pool_backward_tiled` runs instead at the CPU's level `isa`: the undelivered
    /// gradient stays in a register and every input pixel is written once, with the same values
    /// (the same first-match select, as bitwise ands). Measured on the dogs-cats preset's first
    /// pool (78x78x32, b32, one thread, medians of 3 interleaved runs): 5.35 -> 4.30 ms
    /// backward in its first (Swift, 4-lane) form; the general loop keeps `remaining` in memory.
    ///
    /// // x (H, W, C), y (OH, OW, C), dy (OH, OW, C) -> dx (H, W, C) (overwritten)
    static func maxBackward(_ g: ConvGeometry, _ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>,
                            _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>,
                            remaining: UnsafeMutablePointer<Float>, isa: KernelISA) {
        let c = g.channels
        if windowsTile(g) {
            ck_max_pool_backward_tiled(isa.code, x, g.width, c, g.kernelHeight, g.kernelWidth, g.outHeight, g.outWidth, y, dy, dx)
            return
        }
        ck_max_pool_backward(isa.code, x, g.height, g.width, c, g.kernelHeight, g.kernelWidth, g.strideY, g.strideX, g.padTop,
                             g.padLeft, g.outHeight, g.outWidth, y, dy, dx, remaining)
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
