internal import CKernels

/// The per-tile passes of `Winograd`, over one sample's tiles (`ty * cols + tx`) at a time.
/// A block's rows for a sample start at the pointer the caller passes (`V`/`M` row = tile).
///
/// The lane arithmetic runs in C (`CKernels`, `lanes.h`) at the CPU's instruction-set level
/// `isa`: 16, 8 or 4 channels per instruction, the same bits at every level. In Swift, 8-float
/// vectors spilled on the SSE2 build (the 16 live values of a tile), so it was held at 4.
///
/// Pixels outside the image read from `zeros` (padding); outputs outside the output (odd
/// sizes: the last tile row or column is half used) and input-gradient pixels outside the image
/// go to `dump`, a scratch row per part, so the lane loops have no branches.
extension Winograd {
    /// // x (H, W, C) one sample -> V rows of `tiles` (input tile `d`, `B^T d B` per channel)
    static func transformInput(_ t: Tiles, _ x: UnsafePointer<Float>, tiles: Range<Int>, into v: UnsafeMutablePointer<Float>,
                               positionStride s: Int, zeros: UnsafePointer<Float>, isa: KernelISA) {
        let g = t.g
        ck_wino_input(isa.code, x, g.height, g.width, g.channels, g.padTop, g.padLeft, t.cols, tiles.lowerBound, tiles.upperBound,
                      v, s, zeros)
    }

    /// // M rows of `tiles` -> y (OH, OW, O) one sample: `A^T m A + bias`, then the activation
    static func transformOutput(_ t: Tiles, _ m: UnsafePointer<Float>, tiles: Range<Int>, positionStride s: Int, filters: Int,
                                bias: UnsafePointer<Float>, activation: Activation, into y: UnsafeMutablePointer<Float>,
                                dump: UnsafeMutablePointer<Float>, isa: KernelISA) {
        let g = t.g
        if activation == .linear || activation == .relu {
            ck_wino_output(isa.code, m, g.outHeight, g.outWidth, t.cols, tiles.lowerBound, tiles.upperBound, s, filters, bias,
                           activation == .relu ? 1 : 0, y, dump)
            return
        }
        // Other activations one tile at a time, while its outputs are in the L1.
        for k in tiles {
            ck_wino_output(isa.code, m + (k &- tiles.lowerBound) &* filters, g.outHeight, g.outWidth, t.cols, k, k &+ 1, s, filters,
                           bias, 0, y, dump)
            let ty = k / t.cols, tx = k &- ty &* t.cols, oy = 2 &* ty, ox = 2 &* tx
            let n = ox &+ 1 < g.outWidth ? 2 : 1, q00 = y + (oy &* g.outWidth &+ ox) &* filters
            Activation.forwardRows(activation, q00, rows: n, cols: filters, bias: nil, isa: isa)
            if oy &+ 1 < g.outHeight {
                Activation.forwardRows(activation, q00 + g.outWidth &* filters, rows: n, cols: filters, bias: nil, isa: isa)
            }
        }
    }

    /// The adjoint of `transformOutput` (before the activation): `dM = A dY A^T` per tile.
    /// // dz (OH, OW, O) one sample -> dM rows of `tiles`
    static func outputAdjoint(_ t: Tiles, _ dz: UnsafePointer<Float>, tiles: Range<Int>, filters: Int,
                              into m: UnsafeMutablePointer<Float>, positionStride s: Int, zeros: UnsafePointer<Float>, isa: KernelISA) {
        let g = t.g
        ck_wino_output_adjoint(isa.code, dz, g.outHeight, g.outWidth, t.cols, tiles.lowerBound, tiles.upperBound, filters, m, s, zeros)
    }

    /// The adjoint of `transformInput`: adds `B dV B^T` of every tile into the sample's input
    /// gradient (tiles overlap by two pixels; the caller clears `dx` before the sample's first
    /// tile block).
    /// // dV rows of `tiles` -> dx (H, W, C) one sample (accumulated)
    static func inputAdjoint(_ t: Tiles, _ v: UnsafePointer<Float>, tiles: Range<Int>, positionStride s: Int,
                             into dx: UnsafeMutablePointer<Float>, dump: UnsafeMutablePointer<Float>, isa: KernelISA) {
        let g = t.g
        ck_wino_input_adjoint(isa.code, v, g.height, g.width, g.channels, g.padTop, g.padLeft, t.cols, tiles.lowerBound,
                              tiles.upperBound, s, dx, dump)
    }
}
