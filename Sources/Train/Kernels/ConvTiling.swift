/// How a convolution cuts its batch into tiles of whole samples: each tile is packed (im2col),
/// multiplied and given its bias and activation while its im2col rows are still in cache.
///
/// Why: OpenBLAS ran this CPU's conv-shaped products at 47–51 GFLOP/s when the im2col matrix
/// was the whole batch (33 MB for the CIFAR preset's second conv) and at 80–95 GFLOP/s on
/// tiles of ≤ ~2 MB (m = 900–2,738 rows; /tmp gemm micro-benchmark, one core). Tiles are also
/// the unit of parallel work: each is one single-threaded `sgemm` on one worker, so both cores
/// pack, multiply and activate at once, and the cut depends on the shape only (bit-identical
/// results for any thread count).
struct ConvTiling {
    /// Floats of im2col rows (or output rows, if wider) per tile: ~2 MB.
    static let tileFloats = 1 << 19

    let samplesPerTile: Int
    let tiles: Int
    let batch: Int

    /// - Parameters: `rowsPerSample` output pixels per sample, `width` the wider of the patch
    ///   size and the filter count.
    init(batch: Int, rowsPerSample: Int, width: Int) {
        samplesPerTile = max(1, Self.tileFloats / max(1, rowsPerSample &* width))
        tiles = (batch + samplesPerTile - 1) / samplesPerTile
        self.batch = batch
    }

    /// Parallel parts: contiguous runs of tiles, each with its own tile-sized im2col buffer
    /// that stays in cache from one tile to the next.
    var parts: Int { min(8, tiles) }

    @inline(__always)
    func tiles(ofPart part: Int) -> Range<Int> { Workers.range(part, of: parts, count: tiles) }

    @inline(__always)
    func samples(_ tile: Int) -> Range<Int> {
        let start = tile &* samplesPerTile
        return start..<min(batch, start &+ samplesPerTile)
    }
}
