/// A matrix product cut into a few row or column blocks, each one `cblas_sgemm` call, run on
/// the engine's workers. The cut depends only on (m, n, k), so the product is bit-identical for
/// any thread count (each output element is computed by one call, over the whole of `k`).
enum ParallelGEMM {
    /// Up to this many blocks per product. Four keeps both cores busy when one finishes early.
    static let maxBlocks = 4
    /// Minimum rows or columns per block: below this OpenBLAS's kernels lose efficiency.
    static let minBlock = 64

    /// `C (m x n) = op(A) * op(B) + beta * C`, dense row-major storage (lda/ldb/ldc implied by
    /// the shapes), cut along m when m is large, else along n.
    static func multiply(
        m: Int, n: Int, k: Int,
        a: UnsafePointer<Float>, transposeA: Bool = false,
        b: UnsafePointer<Float>, transposeB: Bool = false,
        c: UnsafeMutablePointer<Float>, beta: Float = 0, workers: Workers
    ) {
        let start = workers.clock == nil ? 0 : GEMMClock.now()
        defer { if let clock = workers.clock { clock.add(GEMMClock.now() &- start) } }
        let lda = transposeA ? m : k, ldb = transposeB ? k : n
        let rowBlocks = min(maxBlocks, m / minBlock), colBlocks = min(maxBlocks, n / minBlock)
        if rowBlocks >= 2 && (rowBlocks >= colBlocks || m >= n) {
            workers.run(rowBlocks) { p in
                let r = Workers.range(p, of: rowBlocks, count: m)
                let aBlock = transposeA ? a + r.lowerBound : a + r.lowerBound * lda
                GEMM.multiply(m: r.count, n: n, k: k, a: aBlock, lda: lda, transposeA: transposeA,
                              b: b, ldb: ldb, transposeB: transposeB,
                              c: c + r.lowerBound * n, ldc: n, beta: beta)
            }
        } else if colBlocks >= 2 {
            workers.run(colBlocks) { p in
                let r = Workers.range(p, of: colBlocks, count: n)
                let bBlock = transposeB ? b + r.lowerBound * ldb : b + r.lowerBound
                GEMM.multiply(m: m, n: r.count, k: k, a: a, lda: lda, transposeA: transposeA,
                              b: bBlock, ldb: ldb, transposeB: transposeB,
                              c: c + r.lowerBound, ldc: n, beta: beta)
            }
        } else {
            GEMM.multiply(m: m, n: n, k: k, a: a, lda: lda, transposeA: transposeA,
                          b: b, ldb: ldb, transposeB: transposeB, c: c, ldc: n, beta: beta)
        }
    }
}
