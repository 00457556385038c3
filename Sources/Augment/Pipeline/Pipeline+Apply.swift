import DataPrep

extension Pipeline {
    /// Augments one image: draws every operation's parameters from `generator` in order and
    /// writes the result to `dst` (`src` is not modified; the two must not overlap).
    ///
    /// - Parameters:
    ///   - src, dst: `shape.byteCount` bytes each, HWC.
    ///   - generator: the image's own stream, normally
    ///     `SeededGenerator(seed:stream: StreamPurpose.augmentation, epoch:index:)`.
    ///   - scratch: the calling thread's working memory.
    ///   - record: called with each operation's applied parameters (for previews); nil in training.
    /// - Complexity: one pass per warp and per pixel operation; no allocation (when `record` is nil).
    public func apply(_ src: UnsafePointer<UInt8>, into dst: UnsafeMutablePointer<UInt8>, shape: ImageShape,
                      using generator: inout SeededGenerator, scratch: AugmentScratch,
                      record: ((AppliedOp) -> Void)? = nil) {
        var run = PipelineRun(src: src, dst: dst, shape: shape, scratch: scratch)
        for op in operations {
            switch op {
            case let .horizontalFlip(o): geometric(o, &run, &generator, record)
            case let .verticalFlip(o): geometric(o, &run, &generator, record)
            case let .rotation(o): geometric(o, &run, &generator, record)
            case let .shift(o): geometric(o, &run, &generator, record)
            case let .shear(o): geometric(o, &run, &generator, record)
            case let .zoom(o): geometric(o, &run, &generator, record)
            case let .randomResizedCrop(o): geometric(o, &run, &generator, record)
            case let .randomCrop(o):
                let p = o.sampleParameters(for: shape, using: &generator)
                record?(o.record(p))
                flush(&run)
                run.warp(o.samplingMap(p, for: shape), interpolation: .nearest, fill: o.fill, cval: o.value)
            case let .brightness(o):
                let p = o.sampleParameters(for: shape, using: &generator)
                record?(o.record(p))
                flushWarp(&run)
                o.table(p, into: run.nextTable)
                run.composeTable()
            case let .contrast(o):
                let p = o.sampleParameters(for: shape, using: &generator)
                record?(o.record(p))
                flushWarp(&run)
                o.table(p, mean: run.meanLuma(), into: run.nextTable)
                run.composeTable()
            case let .channelShift(o): pixel(o, &run, &generator, record)
            case let .gaussianNoise(o): pixel(o, &run, &generator, record)
            case let .cutout(o): pixel(o, &run, &generator, record)
            case let .randomErasing(o): pixel(o, &run, &generator, record)
            case let .randomGrayscale(o): pixel(o, &run, &generator, record)
            }
        }
        flush(&run)
        if !run.inDst { dst.update(from: src, count: shape.byteCount) }
    }

    /// The augmented copy of `image` and what was applied (convenience for previews and tests).
    public func augmented(_ image: Image, using generator: inout SeededGenerator) -> (image: Image, applied: [AppliedOp]) {
        var applied: [AppliedOp] = []
        let scratch = AugmentScratch(capacity: image.pixels.count)
        var out = [UInt8](repeating: 0, count: image.pixels.count)
        image.pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                guard let s = src.baseAddress, let d = dst.baseAddress else { return }
                apply(s, into: d, shape: image.shape, using: &generator, scratch: scratch, record: { applied.append($0) })
            }
        }
        return (Image(width: image.width, height: image.height, channels: image.channels, pixels: out), applied)
    }

    /// What sample `index` looks like in `epoch` under root seed `seed` (the batch loader's stream).
    public func augmented(_ image: Image, seed: UInt64, epoch: Int, index: Int) -> (image: Image, applied: [AppliedOp]) {
        var generator = SeededGenerator(seed: seed, stream: StreamPurpose.augmentation, epoch: epoch, index: index)
        return augmented(image, using: &generator)
    }

    @inline(__always)
    private func geometric<A: GeometricAugmentation>(_ op: A, _ run: inout PipelineRun, _ generator: inout SeededGenerator,
                                                     _ record: ((AppliedOp) -> Void)?) {
        let p = op.sampleParameters(for: run.shape, using: &generator)
        record?(op.record(p))
        run.pending = run.pending.concatenating(op.samplingMap(p, for: run.shape))
    }

    @inline(__always)
    private func pixel<A: PixelAugmentation>(_ op: A, _ run: inout PipelineRun, _ generator: inout SeededGenerator,
                                             _ record: ((AppliedOp) -> Void)?) {
        let p = op.sampleParameters(for: run.shape, using: &generator)
        record?(op.record(p))
        flush(&run)
        op.apply(p, to: run.inPlace())
    }

    /// Applies the pending byte table, then the pending warp (a table pending beside a warp
    /// always came first: lookup operations flush the warp before they start a table).
    private func flush(_ run: inout PipelineRun) {
        run.flushTable()
        flushWarp(&run)
    }

    /// Applies the geometric operations composed so far as one warp.
    private func flushWarp(_ run: inout PipelineRun) {
        if run.pending != .identity {
            run.warp(run.pending, interpolation: interpolation, fill: fillMode, cval: cval)
        }
        run.pending = .identity
    }
}

/// Where one `apply` call stands: which buffer holds the current pixels, and the sampling map
/// and the byte table still waiting to be applied.
///
/// Brightness then contrast is one table and one pass from `src` to `dst` (contrast's mean
/// luma is measured through the pending table, which gives the same integer sums as measuring
/// the mapped bytes), instead of a copy and three passes over `dst`.
struct PipelineRun {
    let src: UnsafePointer<UInt8>
    let dst: UnsafeMutablePointer<UInt8>
    let shape: ImageShape
    let scratch: AugmentScratch
    /// Output -> input map of the geometric operations not yet applied.
    var pending = AffineMatrix.identity
    /// Whether the current pixels are in `dst` (else still in `src`).
    var inDst = false
    /// Whether `scratch.table` holds a byte table not yet applied to the current pixels.
    var tablePending = false

    /// Where a lookup operation writes its table before `composeTable`.
    var nextTable: UnsafeMutablePointer<UInt8> { scratch.table + 256 }

    /// Makes the pending table `nextTable ∘ pending` (or `nextTable` when none is pending).
    mutating func composeTable() {
        let t = scratch.table, next = nextTable
        if tablePending {
            for v in 0..<256 { t[v] = next[Int(t[v])] }
        } else {
            t.update(from: next, count: 256)
        }
        tablePending = true
    }

    /// Mean luma of the current pixels as the pending table would leave them.
    func meanLuma() -> Double {
        PixelKernels.meanLuma(inDst ? UnsafePointer(dst) : src, shape: shape, through: tablePending ? UnsafePointer(scratch.table) : nil)
    }

    /// Maps the current pixels through the pending table into `dst`.
    mutating func flushTable() {
        guard tablePending else { return }
        PixelKernels.lookup(inDst ? UnsafePointer(dst) : src, into: dst, count: shape.byteCount, table: scratch.table)
        inDst = true
        tablePending = false
    }

    init(src: UnsafePointer<UInt8>, dst: UnsafeMutablePointer<UInt8>, shape: ImageShape, scratch: AugmentScratch) {
        self.src = src; self.dst = dst; self.shape = shape; self.scratch = scratch
    }

    /// Warps the current pixels into `dst`.
    mutating func warp(_ map: AffineMatrix, interpolation: Interpolation, fill: FillMode, cval: UInt8) {
        flushTable()
        var source = src
        if inDst {
            let copy = scratch.bytes(shape.byteCount)
            copy.update(from: dst, count: shape.byteCount)
            source = UnsafePointer(copy)
        }
        Warp.apply(source, into: dst, shape: shape, map: map, interpolation: interpolation, fill: fill, cval: cval)
        inDst = true
    }

    /// The current pixels, moved to `dst` first if needed, for an in-place kernel.
    mutating func inPlace() -> PixelView {
        flushTable()
        if !inDst {
            dst.update(from: src, count: shape.byteCount)
            inDst = true
        }
        return PixelView(base: dst, shape: shape)
    }
}
