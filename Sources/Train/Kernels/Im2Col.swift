/// The geometry of a 2-D window sweep (convolution or pooling) over one NHWC sample.
public struct ConvGeometry: Sendable, Equatable {
    public let height, width, channels: Int
    public let kernelHeight, kernelWidth: Int
    public let strideY, strideX: Int
    public let padTop, padLeft: Int
    public let outHeight, outWidth: Int

    /// Keras/TensorFlow output sizes and padding: `valid` keeps whole windows only; `same`
    /// gives `ceil(in / stride)` and puts the odd extra pixel of padding at the bottom/right.
    public init?(height: Int, width: Int, channels: Int, kernel: (Int, Int), stride: (Int, Int), padding: Padding) {
        self.height = height; self.width = width; self.channels = channels
        kernelHeight = kernel.0; kernelWidth = kernel.1; strideY = stride.0; strideX = stride.1
        switch padding {
        case .valid:
            guard height >= kernel.0, width >= kernel.1 else { return nil }
            outHeight = (height - kernel.0) / stride.0 + 1
            outWidth = (width - kernel.1) / stride.1 + 1
            padTop = 0; padLeft = 0
        case .same:
            outHeight = (height + stride.0 - 1) / stride.0
            outWidth = (width + stride.1 - 1) / stride.1
            padTop = max((outHeight - 1) * stride.0 + kernel.0 - height, 0) / 2
            padLeft = max((outWidth - 1) * stride.1 + kernel.1 - width, 0) / 2
        }
    }

    /// Floats in one row of the im2col matrix: one window, ordered (ky, kx, c) like a Keras kernel.
    public var patchSize: Int { kernelHeight * kernelWidth * channels }
    public var inputCount: Int { height * width * channels }
    /// Whether im2col would be a plain copy (1x1 kernel, stride 1, no padding).
    public var isPointwise: Bool { kernelHeight == 1 && kernelWidth == 1 && strideY == 1 && strideX == 1 && padTop == 0 && padLeft == 0 }
}

/// im2col / col2im for one sample.
enum Im2Col {
    /// // x (H, W, C) -> col (OH*OW, KH*KW*C), zeros where the window leaves the image
    static func pack(_ g: ConvGeometry, _ x: UnsafePointer<Float>, _ col: UnsafeMutablePointer<Float>) {
        pack(g, x, col, rows: 0..<g.outHeight &* g.outWidth)
    }

    /// `pack` of the output pixels `rows` (`oy * OW + ox`) only: a row block of one sample's
    /// im2col matrix, for tiles smaller than a sample.
    /// // x (H, W, C) -> col (rows.count, KH*KW*C)
    static func pack(_ g: ConvGeometry, _ x: UnsafePointer<Float>, _ col: UnsafeMutablePointer<Float>, rows: Range<Int>) {
        let c = g.channels, rowLength = g.kernelWidth &* c, patch = g.patchSize
        var dst = col
        var oy = rows.lowerBound / max(1, g.outWidth), ox = rows.lowerBound &- oy &* g.outWidth
        for _ in rows {
            let x0 = ox &* g.strideX &- g.padLeft
            for ky in 0..<g.kernelHeight {
                let iy = oy &* g.strideY &- g.padTop &+ ky
                let out = dst + ky &* rowLength
                if iy < 0 || iy >= g.height {
                    for t in 0..<rowLength { out[t] = 0 }
                } else if x0 >= 0 && x0 &+ g.kernelWidth <= g.width {
                    // The whole kernel row is one contiguous run of the input row.
                    let src = x + (iy &* g.width &+ x0) &* c
                    for t in 0..<rowLength { out[t] = src[t] }
                } else {
                    for kx in 0..<g.kernelWidth {
                        let ix = x0 &+ kx, o = out + kx &* c
                        if ix < 0 || ix >= g.width {
                            for t in 0..<c { o[t] = 0 }
                        } else {
                            let src = x + (iy &* g.width &+ ix) &* c
                            for t in 0..<c { o[t] = src[t] }
                        }
                    }
                }
            }
            dst += patch
            ox &+= 1
            if ox == g.outWidth { ox = 0; oy &+= 1 }
        }
    }

    /// The adjoint of `pack`: adds every column entry back to the pixel it came from.
    /// // col (OH*OW, KH*KW*C) -> dx (H, W, C) (overwritten)
    static func unpack(_ g: ConvGeometry, _ col: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>) {
        dx.update(repeating: 0, count: g.inputCount)
        unpack(g, col, dx, rows: 0..<g.outHeight &* g.outWidth)
    }

    /// The adjoint of the row-block `pack`: adds the block's column entries into `dx` (not
    /// cleared: the caller zeroes it before the sample's first block).
    /// // col (rows.count, KH*KW*C) -> dx (H, W, C) (accumulated)
    static func unpack(_ g: ConvGeometry, _ col: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, rows: Range<Int>) {
        let c = g.channels, rowLength = g.kernelWidth &* c, patch = g.patchSize
        var src = col
        var oy = rows.lowerBound / max(1, g.outWidth), ox = rows.lowerBound &- oy &* g.outWidth
        for _ in rows {
            let x0 = ox &* g.strideX &- g.padLeft
            for ky in 0..<g.kernelHeight {
                let iy = oy &* g.strideY &- g.padTop &+ ky
                if iy < 0 || iy >= g.height { continue }
                let row = src + ky &* rowLength
                if x0 >= 0 && x0 &+ g.kernelWidth <= g.width {
                    let dst = dx + (iy &* g.width &+ x0) &* c
                    for t in 0..<rowLength { dst[t] += row[t] }
                } else {
                    for kx in 0..<g.kernelWidth {
                        let ix = x0 &+ kx
                        if ix < 0 || ix >= g.width { continue }
                        let dst = dx + (iy &* g.width &+ ix) &* c, s = row + kx &* c
                        for t in 0..<c { dst[t] += s[t] }
                    }
                }
            }
            src += patch
            ox &+= 1
            if ox == g.outWidth { ox = 0; oy &+= 1 }
        }
    }
}
