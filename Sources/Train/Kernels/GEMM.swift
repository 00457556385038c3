internal import CBLAS

/// Single-precision matrix multiply, row-major: `C = alpha * op(A) * op(B) + beta * C`.
///
/// The one place the training engine calls OpenBLAS, so every layer's convolution and dense
/// product goes through a single, tested entry point. A naive reference (`referenceMultiply`)
/// sits beside it and the tests compare the two.
public enum GEMM {
    /// - Parameters:
    ///   - a: `m x k` (or `k x m` when `transposeA`), row-major.
    ///   - b: `k x n` (or `n x k` when `transposeB`), row-major.
    ///   - c: `m x n`, row-major; read when `beta != 0`.
    public static func multiply(
        m: Int, n: Int, k: Int,
        a: UnsafePointer<Float>, transposeA: Bool = false,
        b: UnsafePointer<Float>, transposeB: Bool = false,
        c: UnsafeMutablePointer<Float>, alpha: Float = 1, beta: Float = 0
    ) {
        precondition(m >= 0 && n >= 0 && k >= 0, "GEMM sizes must be non-negative, got m=\(m) n=\(n) k=\(k)")
        if m == 0 || n == 0 { return }
        cblas_sgemm(CblasRowMajor,
                    transposeA ? CblasTrans : CblasNoTrans,
                    transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha,
                    a, Int32(transposeA ? m : k),
                    b, Int32(transposeB ? k : n),
                    beta, c, Int32(n))
    }

    /// The textbook triple loop, accumulating in Double: the oracle for `multiply`.
    public static func referenceMultiply(
        m: Int, n: Int, k: Int,
        a: [Float], transposeA: Bool = false,
        b: [Float], transposeB: Bool = false,
        c: inout [Float], alpha: Float = 1, beta: Float = 0
    ) {
        for i in 0..<m {
            for j in 0..<n {
                var sum = 0.0
                for p in 0..<k {
                    let av = transposeA ? a[p * m + i] : a[i * k + p]
                    let bv = transposeB ? b[j * k + p] : b[p * n + j]
                    sum += Double(av) * Double(bv)
                }
                c[i * n + j] = Float(Double(alpha) * sum + Double(beta) * Double(c[i * n + j]))
            }
        }
    }
}
