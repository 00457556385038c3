import Testing
@testable import Train

@Suite struct GEMMTests {
    /// OpenBLAS against the naive triple loop over every transpose combination and odd shapes.
    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func matchesReference(transposeA: Bool, transposeB: Bool) {
        let m = 7, n = 5, k = 9
        var state: UInt64 = 12345
        func next() -> Float {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(Int(state >> 40) % 2001 - 1000) / 500
        }
        let a = (0..<(m * k)).map { _ in next() }
        let b = (0..<(k * n)).map { _ in next() }
        var expected = (0..<(m * n)).map { _ in next() }
        var actual = expected
        GEMM.referenceMultiply(m: m, n: n, k: k, a: a, transposeA: transposeA, b: b, transposeB: transposeB,
                               c: &expected, alpha: 0.5, beta: 2)
        a.withUnsafeBufferPointer { ap in
            b.withUnsafeBufferPointer { bp in
                actual.withUnsafeMutableBufferPointer { cp in
                    GEMM.multiply(m: m, n: n, k: k, a: ap.baseAddress!, transposeA: transposeA,
                                  b: bp.baseAddress!, transposeB: transposeB, c: cp.baseAddress!, alpha: 0.5, beta: 2)
                }
            }
        }
        for i in 0..<(m * n) {
            #expect(abs(actual[i] - expected[i]) <= 1e-4 * max(1, abs(expected[i])), "element \(i)")
        }
    }

    /// A 2x2 product checked by hand: [[1,2],[3,4]] * [[5,6],[7,8]] = [[19,22],[43,50]].
    @Test func handComputed() {
        let a: [Float] = [1, 2, 3, 4], b: [Float] = [5, 6, 7, 8]
        var c = [Float](repeating: 0, count: 4)
        GEMM.multiply(m: 2, n: 2, k: 2, a: a, b: b, c: &c)
        #expect(c == [19, 22, 43, 50])
    }
}
