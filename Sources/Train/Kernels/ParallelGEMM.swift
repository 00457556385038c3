/// A matrix product cut into a few row or column blocks, each one `cblas_sgemm` call, run on
/// the engine's workers. The cut depends only on (m, n, k), so the product is bit-identical for
/// any thread count (each output element is computed by one call, over the whole of `k`).
enum ParallelGEMM {
    /// Up to this many blocks per product. Four keeps both cores busy when one finishes early.
    static let maxBlocks = 4
    /// Minimum rows or columns per block: below this OpenBLAS's kernels lose efficiency.
    static let minBlock = 64
    /// Minimum multiply-adds per block (2^22, ~0.1 ms on one core): waking a second thread
    /// costs ~10-20 µs, so smaller products run whole on the calling thread. Matters for
    /// training's 32-sample blocks (`SampleBlocks`): the mlp preset's products are 3.2 M
    /// multiply-adds per block, and cutting them made 2 threads slower than 1.
    static let minWork = 1 << 22

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
        let worthIt = max(1, m * n * k / minWork)
        let rowBlocks = min(maxBlocks, m / minBlock, worthIt), colBlocks = min(maxBlocks, n / minBlock, worthIt)
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

extension ParallelGEMM {
    /// A weight gradient `C (m x n) = A^T * B` with `A (k x m)`, `B (k x n)` and a long
    /// reduction (k = every output pixel of the batch), cut along k into chunks (conv tiles:
    /// `chunkRows(q)` are chunk q's rows of A and B, consecutive chunks adjacent), the chunks
    /// into `parts` contiguous runs (`chunksOfPart(p)`); each part sums its chunks in order into
    /// its own partial (one `sgemm` per chunk, beta 1 after the first) and the partials are
    /// added in part order. Both cores work even when m and n are tiny (a first conv layer:
    /// 9 x 32 with k = 194,688), and the cut depends on the shape only (same result for any
    /// thread count).
    ///
    /// - Parameters:
    ///   - chunkA: `(part, chunk)` -> the chunk's rows of A (conv backward re-packs the tile's
    ///     im2col rows into the part's cache-resident buffer here instead of reading a
    ///     batch-sized matrix back from memory).
    ///   - afterChunk: `(part, chunk)`, on the same thread right after that chunk's product.
    static func weightGradient(m: Int, n: Int, chunks: Int, parts: Int, chunksOfPart: (Int) -> Range<Int>,
                               chunkRows: (Int) -> Range<Int>, b: UnsafePointer<Float>,
                               c: UnsafeMutablePointer<Float>, partials: inout Workspace<Float>, workers: Workers,
                               chunkA: (Int, Int) -> UnsafePointer<Float>, afterChunk: ((Int, Int) -> Void)? = nil) {
        let parts = max(1, parts)
        let size = m &* n
        let scratch = parts == 1 ? c : partials.reserve(parts * size, initial: 0)
        let timer = TileTimer(tiles: chunks, clock: workers.clock)
        workers.run(parts) { p in
            let own = chunksOfPart(p), target = scratch + p &* size
            if own.isEmpty { target.update(repeating: 0, count: size) }
            for q in own {
                let rows = chunkRows(q)
                let a = chunkA(p, q)
                timer.time(q) {
                    GEMM.multiply(m: m, n: n, k: rows.count, a: a, lda: m, transposeA: true,
                                  b: b + rows.lowerBound &* n, ldb: n, c: target, ldc: n, beta: q == own.lowerBound ? 0 : 1)
                }
                afterChunk?(p, q)
            }
        }
        timer.report(threads: min(workers.threads, parts))
        if parts == 1 { return }
        c.update(from: scratch, count: size)
        for p in 1..<parts {
            let s = scratch + p &* size
            for i in 0..<size { c[i] += s[i] }
        }
    }
}

/// GEMM time of tiled work for the benchmark's GEMM share: each tile records its own product
/// time (no shared counter across threads); the total divided by the lanes in use approximates
/// the wall time spent in products.
struct TileTimer {
    let clock: GEMMClock?
    let nanoseconds: UnsafeMutablePointer<UInt64>?
    let tiles: Int

    init(tiles: Int, clock: GEMMClock?) {
        self.clock = clock; self.tiles = tiles
        if clock != nil {
            let p = UnsafeMutablePointer<UInt64>.allocate(capacity: max(1, tiles))
            p.initialize(repeating: 0, count: max(1, tiles))
            nanoseconds = p
        } else {
            nanoseconds = nil
        }
    }

    @inline(__always)
    func time(_ tile: Int, _ body: () -> Void) {
        guard let nanoseconds else { body(); return }
        let start = GEMMClock.now()
        body()
        nanoseconds[tile] = GEMMClock.now() &- start
    }

    func report(threads: Int) {
        guard let clock, let nanoseconds else { return }
        var total: UInt64 = 0
        for t in 0..<tiles { total &+= nanoseconds[t] }
        clock.add(total / UInt64(max(1, min(threads, tiles))))
        nanoseconds.deallocate()
    }
}
