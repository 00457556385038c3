/// In-place kernels of the photometric operations. All take a `PixelView` (HWC bytes) and
/// touch nothing else; none allocates.
enum PixelKernels {
    // in/out (H,W,C) u8: v -> table[v] for every byte
    static func lookup(_ image: PixelView, table: UnsafePointer<UInt8>) {
        let p = image.base
        for i in 0..<image.byteCount { p[i] = table[Int(p[i])] }
    }

    // in (n) u8 -> out (n) u8: d[i] = table[s[i]] (s == d allowed)
    static func lookup(_ s: UnsafePointer<UInt8>, into d: UnsafeMutablePointer<UInt8>, count: Int, table: UnsafePointer<UInt8>) {
        for i in 0..<count { d[i] = table[Int(s[i])] }
    }

    /// A 256-entry table `v -> clamp(round(f(v)), low...high)` (round half up).
    @inline(__always)
    static func withTable(low: Int = 0, high: Int = 255, _ f: (Double) -> Double,
                          _ body: (UnsafePointer<UInt8>) -> Void) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 256) { table in
            fillTable(table.baseAddress!, low: low, high: high, f)
            body(UnsafePointer(table.baseAddress!))
        }
    }

    /// Writes `withTable`'s 256 entries to `table`.
    @inline(__always)
    static func fillTable(_ table: UnsafeMutablePointer<UInt8>, low: Int = 0, high: Int = 255, _ f: (Double) -> Double) {
        for v in 0..<256 {
            let y = (f(Double(v)) + 0.5).rounded(.down)
            table[v] = UInt8(max(Double(low), min(Double(high), y)))
        }
    }

    /// `meanLuma` of the pixels at `p` after mapping every byte through `table` (nil: as they are):
    /// the same integer sums, so the same `Double`, as mapping first and measuring after.
    static func meanLuma(_ p: UnsafePointer<UInt8>, shape: ImageShape, through table: UnsafePointer<UInt8>?) -> Double {
        guard let t = table else { return meanLuma(PixelView(base: UnsafeMutablePointer(mutating: p), shape: shape)) }
        let n = shape.width &* shape.height, ch = shape.channels
        if ch == 1 {
            var sum = 0
            for i in 0..<n { sum &+= Int(t[Int(p[i])]) }
            return Double(sum) / Double(max(1, n))
        }
        var r = 0, g = 0, b = 0
        for i in 0..<n {
            let q = p + i &* ch
            r &+= Int(t[Int(q[0])]); g &+= Int(t[Int(q[1])]); b &+= Int(t[Int(q[2])])
        }
        return (0.299 * Double(r) + 0.587 * Double(g) + 0.114 * Double(b)) / Double(max(1, n))
    }

    /// Mean luma (ITU-R 601: 0.299 R + 0.587 G + 0.114 B) or mean gray value, as torchvision's
    /// `adjust_contrast` computes it; alpha is ignored.
    static func meanLuma(_ image: PixelView) -> Double {
        let p = image.base, n = image.width &* image.height
        if image.channels == 1 {
            var sum = 0
            for i in 0..<n { sum &+= Int(p[i]) }
            return Double(sum) / Double(max(1, n))
        }
        var r = 0, g = 0, b = 0
        let ch = image.channels
        for i in 0..<n {
            let q = p + i &* ch
            r &+= Int(q[0]); g &+= Int(q[1]); b &+= Int(q[2])
        }
        return (0.299 * Double(r) + 0.587 * Double(g) + 0.114 * Double(b)) / Double(max(1, n))
    }

    /// Smallest and largest byte over all channels.
    static func minMax(_ image: PixelView) -> (UInt8, UInt8) {
        var low: UInt8 = 255, high: UInt8 = 0
        let p = image.base
        for i in 0..<image.byteCount {
            low = min(low, p[i]); high = max(high, p[i])
        }
        return (low, high)
    }

    // in/out (H,W,C) u8: the rectangle [x, x+w) x [y, y+h) (clipped to the image) set to `value`
    static func fillRect(_ image: PixelView, x: Int, y: Int, width: Int, height: Int, value: UInt8) {
        let x0 = max(0, x), x1 = min(image.width, x + width), y0 = max(0, y), y1 = min(image.height, y + height)
        guard x0 < x1, y0 < y1 else { return }
        let ch = image.channels, stride = image.width &* ch
        for row in y0..<y1 {
            (image.base + row &* stride + x0 &* ch).update(repeating: value, count: (x1 - x0) &* ch)
        }
    }

    // in/out (H,W,C) u8: R, G, B <- Pillow's luma `(19595 R + 38470 G + 7471 B + 0x8000) >> 16`; alpha kept
    static func grayscale(_ image: PixelView) {
        let ch = image.channels
        guard ch >= 3 else { return }
        let p = image.base
        for i in 0..<(image.width &* image.height) {
            let q = p + i &* ch
            let l = UInt32(q[0]) &* 19595 &+ UInt32(q[1]) &* 38470 &+ UInt32(q[2]) &* 7471 &+ 0x8000
            let v = UInt8(truncatingIfNeeded: l &>> 16)
            q[0] = v; q[1] = v; q[2] = v
        }
    }
}
