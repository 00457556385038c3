/// One step's blocks as a layer sees them: the step's cut, the run of blocks this process
/// computes (its samples are contiguous in the layer's buffers, starting at the first local
/// block's first sample), and the exchange for sums that span every block.
struct BlockPass {
    let blocks: SampleBlocks
    let local: Range<Int>
    let exchange: any BlockExchange

    init(blocks: SampleBlocks, exchange: any BlockExchange) {
        self.blocks = blocks
        self.exchange = exchange
        local = exchange.localBlocks(count: blocks.count)
    }

    /// The step-batch index of this process's first sample.
    var firstSample: Int { blocks.samples(local).lowerBound }
    /// Samples this process computes.
    var localCount: Int { blocks.samples(local).count }

    /// Block `block`'s samples as indices into this process's buffers.
    func localSamples(_ block: Int) -> Range<Int> {
        let s = blocks.samples(block)
        return s.lowerBound - firstSample..<s.upperBound - firstSample
    }

    /// `context` for one block's kernels: dropout keys by the sample's place in the step's
    /// batch, per-sample workspaces at its place in this process's buffers.
    func context(_ context: StepContext, block: Int) -> StepContext {
        self.context(context, blocks: block..<block + 1)
    }

    /// `context` for one call over a run of blocks.
    func context(_ context: StepContext, blocks run: Range<Int>) -> StepContext {
        var c = context
        c.sampleBase = blocks.samples(run).lowerBound
        c.workspaceBase = localSamples(run.lowerBound).lowerBound
        return c
    }

    /// Sums every block's `width` partials in block order — the first copied, the others added
    /// one by one — into `out`, after exchanging this process's `local` partials.
    func foldAcrossBlocks(_ local: [Float], width: Int, into out: UnsafeMutablePointer<Float>) throws {
        try exchange.foldBlocks(local, width: width, count: blocks.count, into: out)
    }
}

/// The one way block partials are added: the first copied, then each later block added in
/// order. Every path (one process folding as blocks finish, or N processes folding what they
/// exchanged) goes through here, so they round identically.
public enum BlockFold {
    public static func fold(_ partials: UnsafePointer<Float>, blocks: Int, width: Int, into out: UnsafeMutablePointer<Float>) {
        out.update(from: partials, count: width)
        for b in 1..<max(1, blocks) { add(partials + b &* width, into: out, count: width) }
    }

    @inline(__always)
    public static func add(_ x: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { out[i] += x[i] }
    }
}

extension Layer {
    func forwardBlocks(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, pass: BlockPass,
                       context: StepContext) throws {
        forwardEachBlock(x, y, pass: pass, context: context)
    }

    func backwardBlocks(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ dy: UnsafeMutablePointer<Float>,
                        _ dx: UnsafeMutablePointer<Float>?, pass: BlockPass, skipActivation: Bool, context: StepContext,
                        keep: (Int) -> Void) throws {
        backwardEachBlock(x, y, dy, dx, pass: pass, skipActivation: skipActivation, context: context, keep: keep)
    }

    /// The training forward pass over this process's blocks: the layer's own pass on each block
    /// in turn (a block's outputs depend on its samples only). Batch norm's own sums span blocks.
    func forwardEachBlock(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, pass: BlockPass,
                       context: StepContext) {
        let inCount = inputShape.count, outCount = outputShape.count
        if pass.local.count > 1 && forwardKeepsBlocksApart(blockSize: pass.blocks.size) {
            return forward(x, y, batch: pass.localCount, context: pass.context(context, blocks: pass.local))
        }
        for b in pass.local {
            let s = pass.localSamples(b)
            forward(x + s.lowerBound &* inCount, y + s.lowerBound &* outCount, batch: s.count, context: pass.context(context, block: b))
        }
    }

    /// The backward pass over this process's blocks: each block's own pass, its parameter
    /// gradients handed to `keep(block)` before the next block overwrites them.
    func backwardEachBlock(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ dy: UnsafeMutablePointer<Float>,
                           _ dx: UnsafeMutablePointer<Float>?, pass: BlockPass, skipActivation: Bool, context: StepContext,
                           keep: (Int) -> Void) {
        let inCount = inputShape.count, outCount = outputShape.count
        if pass.local.count > 1 && backwardKeepsBlocksApart {
            backward(x, y, dy, dx, batch: pass.localCount, skipActivation: skipActivation,
                     context: pass.context(context, blocks: pass.local))
            for b in pass.local { keep(b) }
            return
        }
        for b in pass.local {
            let s = pass.localSamples(b), first = s.lowerBound
            backward(x + first &* inCount, y + first &* outCount, dy + first &* outCount, dx.map { $0 + first &* inCount },
                     batch: s.count, skipActivation: skipActivation, context: pass.context(context, block: b))
            keep(b)
        }
    }
}
