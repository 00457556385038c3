/// How a convolution cuts its batch into tiles: each tile is packed (im2col), multiplied and
/// given its bias and activation while its im2col rows are still in cache. A tile is a run of
/// whole samples, or, when one sample's im2col rows exceed the tile size, a block of one
/// sample's output rows.
///
/// Why: OpenBLAS ran a Zen 1's conv-shaped products at 47–51 GFLOP/s when the im2col matrix
/// was the whole batch (33 MB for the CIFAR preset's second conv) and at 80–95 GFLOP/s on
/// tiles of ≤ ~2 MB. On a Zen 4 (1 MB L2 per core) a 2 MB tile no longer fits the L2 together
/// with OpenBLAS's packed copy of it: 128 KB tiles (row blocks of one sample) cut the CIFAR
/// preset's CPU time per training step by about a fifth, and tiles the size of the L1d (32 KB)
/// by another ~10%. The tile size is therefore derived from the running CPU's L1d
/// (`KernelTuning.tileFloats`, where the measurements are).
///
/// Tiles are also the unit of parallel work: each is one single-threaded `sgemm` on one worker,
/// so both cores pack, multiply and activate at once. Parts (what one worker runs in order) are
/// runs of whole samples, so a sample's row blocks are always processed by one thread in order
/// (col2im adds them into the same input gradient). The cut depends on the shape and the
/// machine's `KernelTuning` only, never on the thread count (bit-identical results for any
/// thread count).
struct ConvTiling {
    /// Whole samples per tile (1 when a sample is cut into row blocks).
    let samplesPerTile: Int
    /// Row blocks per sample (1 when tiles hold whole samples).
    let rowBlocks: Int
    let rowsPerSample: Int
    /// Runs of `samplesPerTile` samples; each is `rowBlocks` tiles.
    let groups: Int
    let tiles: Int
    let batch: Int

    /// Most parts (`KernelTuning.convParts`).
    let maxParts: Int

    /// - Parameters: `rowsPerSample` output pixels per sample, `width` the wider of the patch
    ///   size and the filter count, `tuning` the machine's tile size and part count.
    init(batch: Int, rowsPerSample: Int, width: Int, tuning: KernelTuning) {
        self.init(batch: batch, rowsPerSample: rowsPerSample, width: width, tileFloats: tuning.tileFloats, maxParts: tuning.convParts)
    }

    /// The same cut with an explicit tile size (Winograd blocks: `KernelTuning.winogradBlockFloats`).
    init(batch: Int, rowsPerSample: Int, width: Int, tileFloats: Int, maxParts: Int) {
        let sampleFloats = max(1, rowsPerSample &* width)
        if sampleFloats <= tileFloats || rowsPerSample <= 1 {
            samplesPerTile = max(1, tileFloats / sampleFloats)
            rowBlocks = 1
        } else {
            samplesPerTile = 1
            rowBlocks = min(rowsPerSample, (sampleFloats + tileFloats - 1) / tileFloats)
        }
        self.maxParts = maxParts
        self.rowsPerSample = rowsPerSample
        groups = (batch + samplesPerTile - 1) / samplesPerTile
        tiles = groups &* rowBlocks
        self.batch = batch
    }

    /// The same tiles in at most one part per 32 reduction rows (output pixels, or Winograd
    /// tiles, of the whole call), for a weight gradient. Each part sums its tiles into its own
    /// partial of the full kernel gradient and the partials are then added: for a 16-sample
    /// block of a small-image layer (fashion-alexnet's 3x3-pixel 128-filter convolutions) eight
    /// partials cost more to add than the products that fill them (+60% on those layers'
    /// backward pass, measured). A product does 2 flops per row per partial element, so this
    /// keeps the additions under 1/64 of the product's flops. Large calls (whole batches) keep
    /// every part. Shape-only, like every cut here.
    func cappedForReduction(rows: Int) -> ConvTiling {
        ConvTiling(batch: batch, rowsPerSample: rowsPerSample, samplesPerTile: samplesPerTile, rowBlocks: rowBlocks,
                   maxParts: min(maxParts, max(1, rows / 32)))
    }

    private init(batch: Int, rowsPerSample: Int, samplesPerTile: Int, rowBlocks: Int, maxParts: Int) {
        self.batch = batch; self.rowsPerSample = rowsPerSample; self.samplesPerTile = samplesPerTile
        self.rowBlocks = rowBlocks; self.maxParts = maxParts
        groups = (batch + samplesPerTile - 1) / samplesPerTile
        tiles = groups &* rowBlocks
    }

    /// Parallel parts: contiguous runs of sample groups, each with its own tile-sized im2col
    /// buffer that stays in cache from one tile to the next.
    var parts: Int { min(maxParts, groups) }

    /// im2col rows of the largest tile (the size of a part's buffer, in rows).
    var maxTileRows: Int { rowBlocks == 1 ? samplesPerTile &* rowsPerSample : (rowsPerSample + rowBlocks - 1) / rowBlocks }

    @inline(__always)
    func tiles(ofPart part: Int) -> Range<Int> {
        let g = Workers.range(part, of: parts, count: groups)
        return g.lowerBound &* rowBlocks..<g.upperBound &* rowBlocks
    }

    /// The samples of tile `tile` (one sample when samples are cut into row blocks).
    @inline(__always)
    func samples(_ tile: Int) -> Range<Int> {
        let start = (tile / rowBlocks) &* samplesPerTile
        return start..<min(batch, start &+ samplesPerTile)
    }

    /// The output rows (pixels, `oy * OW + ox`) of each of the tile's samples.
    @inline(__always)
    func rows(_ tile: Int) -> Range<Int> {
        rowBlocks == 1 ? 0..<rowsPerSample : Workers.range(tile % rowBlocks, of: rowBlocks, count: rowsPerSample)
    }

    /// The tile's rows of the batch's (N*OH*OW)-row output: contiguous, since a tile is either
    /// whole consecutive samples or one block of one sample.
    @inline(__always)
    func batchRows(_ tile: Int) -> Range<Int> {
        let s = samples(tile), r = rows(tile)
        if rowBlocks == 1 { return s.lowerBound &* rowsPerSample..<s.upperBound &* rowsPerSample }
        let base = s.lowerBound &* rowsPerSample
        return base &+ r.lowerBound..<base &+ r.upperBound
    }
}
