internal import CBLAS

extension GEMM {
    /// `multiply` with explicit leading dimensions, so a layer can hand OpenBLAS a block of rows or
    /// columns of a larger matrix (how the engine splits one product over worker threads).
    ///
    /// - Parameters: as `multiply`, plus `lda`/`ldb`/`ldc`: the row strides of the stored
    ///   (untransposed) matrices.
    @inline(__always)
    public static func multiply(
        m: Int, n: Int, k: Int,
        a: UnsafePointer<Float>, lda: Int, transposeA: Bool = false,
        b: UnsafePointer<Float>, ldb: Int, transposeB: Bool = false,
        c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float = 1, beta: Float = 0
    ) {
        precondition(m >= 0 && n >= 0 && k >= 0, "GEMM sizes must be non-negative, got m=\(m) n=\(n) k=\(k)")
        if m == 0 || n == 0 { return }
        if k == 0 {
            // BLAS leaves C untouched when k == 0 only if beta == 1; make the empty sum explicit.
            for i in 0..<m { for j in 0..<n { c[i * ldc + j] = beta == 0 ? 0 : beta * c[i * ldc + j] } }
            return
        }
        cblas_sgemm(CblasRowMajor,
                    transposeA ? CblasTrans : CblasNoTrans,
                    transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha,
                    a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// Threads OpenBLAS may use inside one call. The engine keeps this at 1 and splits products
    /// itself (see `Workers`): OpenBLAS's idle workers spin and would steal the core our own
    /// elementwise passes run on, and fixed splits keep results identical for any thread count.
    public static func setBLASThreads(_ count: Int) {
        precondition(count >= 1, "BLAS thread count must be at least 1, got \(count)")
        openblas_set_num_threads(Int32(count))
    }

    /// The threads OpenBLAS currently uses per call.
    public static var blasThreads: Int { Int(openblas_get_num_threads()) }

    /// Runs one 512x512x512 product once per process. Measured on this machine (PLATFORM.md): if
    /// the first sgemm of a process is an im2col-shaped call, OpenBLAS can stay at 6–17 GFLOP/s
    /// for that shape for the rest of the run; a square warm-up first avoids it.
    public static func warmUp() { _ = warmedUp }

    private static let warmedUp: Bool = {
        let size = 512
        let a = UnsafeMutablePointer<Float>.allocate(capacity: size * size * 3)
        defer { a.deallocate() }
        a.initialize(repeating: 0.5, count: size * size * 3)
        multiply(m: size, n: size, k: size, a: a, lda: size, b: a + size * size, ldb: size,
                 c: a + 2 * size * size, ldc: size)
        return true
    }()
}
