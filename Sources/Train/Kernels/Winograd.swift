/// Winograd F(2x2, 3x3) transforms (Lavin & Gray, "Fast Algorithms for Convolutional Neural
/// Networks", 2016) for stride-1 3x3 convolutions, NHWC, and their adjoints for the two
/// backward passes.
///
/// A 2x2 block of output pixels is `Y = A^T [(G g G^T) ⊙ (B^T d B)] A` for its 4x4 input tile
/// `d`: per channel pair 16 multiplications instead of 36. Over a batch, each of the 16 tile
/// positions `p` is one matrix product `M_p (tiles, O) = V_p (tiles, C) * U_p (C, O)`, so the
/// products still go to OpenBLAS; the transforms below are the only extra passes.
///
///     B^T = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1]
///     G   = [1 0 0; 1/2 1/2 1/2; 1/2 -1/2 1/2; 0 0 1]
///     A^T = [1 1 1 0; 0 1 -1 -1]
///
/// Backward is the exact adjoint of that forward: `dM_p = A dY A^T` per tile (`outputAdjoint`),
/// then the input gradient `dV_p = dM_p U_p^T` scattered back by `dd = B dV B^T`
/// (`inputAdjoint`), and the weight gradient `dU_p = V_p^T dM_p` summed over tiles and mapped
/// back by `dg = G^T dU G` (`kernelAdjoint`). The points 0, ±1 keep every transform's
/// coefficients in {0, ±1/2, ±1}, so float32 errors stay near im2col's (F(4x4, 3x3) needs
/// ±2, ±1/2 and coefficients up to 1/4 and 8, and loses 1–2 more digits).
///
/// Layouts: `V` and `M` hold a block of tiles per position, `position * positionStride +
/// tile * channels + channel`; `U` is `(16, C, O)`, position-major, each position a
/// `(C, O)` matrix like the Keras kernel `(3, 3, C, O)` it comes from.
enum Winograd {
    /// Which 2x2 output tiles a sample has, and where each tile's 4x4 input window starts.
    struct Tiles {
        let g: ConvGeometry
        /// Tile rows and columns: `ceil(OH / 2)`, `ceil(OW / 2)`.
        let rows, cols: Int
        var perSample: Int { rows &* cols }

        init(_ g: ConvGeometry) {
            self.g = g
            rows = (g.outHeight + 1) / 2
            cols = (g.outWidth + 1) / 2
        }
    }

    /// Whether F(2x2, 3x3) computes this convolution: a 3x3 kernel at stride 1 (same or valid).
    static func applies(to g: ConvGeometry) -> Bool {
        g.kernelHeight == 3 && g.kernelWidth == 3 && g.strideY == 1 && g.strideX == 1
    }

    // MARK: kernel

    /// // kernel (3, 3, C, O) -> U (16, C, O) = G g G^T per (c, o)
    static func transformKernel(_ kernel: UnsafePointer<Float>, channels: Int, filters: Int, into u: UnsafeMutablePointer<Float>) {
        let size = channels &* filters
        for q in 0..<size {
            let g = kernel + q
            // t = G g (4x3): rows of g mixed; then each row of t times G^T.
            let g00 = g[0], g01 = g[size], g02 = g[2 &* size]
            let g10 = g[3 &* size], g11 = g[4 &* size], g12 = g[5 &* size]
            let g20 = g[6 &* size], g21 = g[7 &* size], g22 = g[8 &* size]
            @inline(__always) func row(_ i: Int, _ t0: Float, _ t1: Float, _ t2: Float) {
                let out = u + (i &* 4 &* size &+ q)
                out[0] = t0
                out[size] = (t0 + t1 + t2) * 0.5
                out[2 &* size] = (t0 - t1 + t2) * 0.5
                out[3 &* size] = t2
            }
            row(0, g00, g01, g02)
            row(1, (g00 + g10 + g20) * 0.5, (g01 + g11 + g21) * 0.5, (g02 + g12 + g22) * 0.5)
            row(2, (g00 - g10 + g20) * 0.5, (g01 - g11 + g21) * 0.5, (g02 - g12 + g22) * 0.5)
            row(3, g20, g21, g22)
        }
    }

    /// The adjoint of `transformKernel`: `dg = G^T dU G` per (c, o).
    /// // dU (16, C, O) -> dkernel (3, 3, C, O) (overwritten)
    static func kernelAdjoint(_ du: UnsafePointer<Float>, channels: Int, filters: Int, into dk: UnsafeMutablePointer<Float>) {
        let size = channels &* filters
        for q in 0..<size {
            // e = dU G (4x3): columns of each row of dU mixed; then G^T e.
            var e = (Float(0), Float(0), Float(0), Float(0), Float(0), Float(0), Float(0), Float(0), Float(0), Float(0), Float(0), Float(0))
            withUnsafeMutableBytes(of: &e) { raw in
                let ep = raw.baseAddress!.assumingMemoryBound(to: Float.self)
                for i in 0..<4 {
                    let d = du + (i &* 4 &* size &+ q)
                    let u0 = d[0], u1 = d[size], u2 = d[2 &* size], u3 = d[3 &* size]
                    ep[i &* 3] = u0 + (u1 + u2) * 0.5; ep[i &* 3 &+ 1] = (u1 - u2) * 0.5; ep[i &* 3 &+ 2] = (u1 + u2) * 0.5 + u3
                }
                for j in 0..<3 {
                    let e0 = ep[j], e1 = ep[3 &+ j], e2 = ep[6 &+ j], e3 = ep[9 &+ j]
                    dk[j &* size &+ q] = e0 + (e1 + e2) * 0.5
                    dk[(3 &+ j) &* size &+ q] = (e1 - e2) * 0.5
                    dk[(6 &+ j) &* size &+ q] = (e1 + e2) * 0.5 + e3
                }
            }
        }
    }
}
