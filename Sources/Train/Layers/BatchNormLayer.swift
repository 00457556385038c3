/// BatchNormalization over the channel axis, with Keras's semantics: in training, normalise by
/// the batch mean and (biased) variance and update `moving = moving * momentum + batch * (1 -
/// momentum)` (momentum 0.99); in inference, normalise by the moving statistics; epsilon 1e-3.
///
/// A frozen BatchNorm (`frozen`, or `setTrainable(layer:false)`) behaves as Keras's frozen BN
/// (TF 2 / Keras 3, `trainable = False`): it normalises by the moving statistics even in
/// training mode and leaves them unchanged, so fine-tuning on a small set does not wreck the
/// statistics learned on the large one; its backward pass is then the affine map
/// `dx = dy * gamma / sqrt(moving_variance + eps)`.
///
/// Reductions use shape-determined parts and add the partials in order (thread-count independent).
final class BatchNormLayer: Layer {
    let index: Int
    let settings: BatchNormSpec
    var spec: LayerSpec { .batchnorm(settings) }
    let inputShape: TensorShape
    let outputShape: TensorShape
    let momentum: Float
    let epsilon: Float
    private var gamma: UnsafeMutablePointer<Float>!
    private var beta: UnsafeMutablePointer<Float>!
    private var movingMean: UnsafeMutablePointer<Float>!
    private var movingVariance: UnsafeMutablePointer<Float>!
    private var gammaGrad: UnsafeMutablePointer<Float>!
    private var betaGrad: UnsafeMutablePointer<Float>!
    private var store: ParameterStore!
    private var gammaTensor = 0
    /// Whether the last forward pass used batch statistics (what backward must differentiate).
    private var usedBatchStatistics = false
    private var normalized = Workspace<Float>()
    private var partials = Workspace<Float>()
    private var mean: [Float]
    private var invStd: [Float]
    private var sums: [Float]
    /// Whether training steps move the moving statistics: false in a replica (`ReplicaTeam`),
    /// whose owner moves them once per step with the same step statistics.
    var updatesMovingStatistics = true

    init(index: Int, settings: BatchNormSpec, input: TensorShape) {
        self.index = index; self.settings = settings; inputShape = input; outputShape = input
        momentum = settings.momentumOrDefault
        epsilon = settings.epsilonOrDefault
        mean = Array(repeating: 0, count: input.channels)
        invStd = Array(repeating: 0, count: input.channels)
        sums = Array(repeating: 0, count: 2 * input.channels)
    }

    deinit { normalized.free(); partials.free() }

    var declarations: [ParameterDeclaration] {
        let c = [inputShape.channels]
        return [ParameterDeclaration(name: "gamma", shape: c, role: .gamma),
                ParameterDeclaration(name: "beta", shape: c, role: .beta),
                ParameterDeclaration(name: "moving_mean", shape: c, role: .movingMean),
                ParameterDeclaration(name: "moving_variance", shape: c, role: .movingVariance)]
    }

    func bind(_ store: ParameterStore, offsets: [Int]) {
        gamma = store.values + offsets[0]; beta = store.values + offsets[1]
        movingMean = store.values + offsets[2]; movingVariance = store.values + offsets[3]
        gammaGrad = store.gradients + offsets[0]; betaGrad = store.gradients + offsets[1]
        self.store = store
        gammaTensor = store.tensors.firstIndex { $0.offset == offsets[0] } ?? 0
    }

    /// Frozen layers normalise by their moving statistics in every mode.
    private var isFrozen: Bool { !store.tensors[gammaTensor].trainable }

    func reserve(batch: Int) { _ = normalized.reserve(batch * inputShape.count, initial: 0) }

    /// (x - mean)^2, the second pass of the variance (numerically safer than E[x^2] - E[x]^2).
    private func squaredDeviations(_ x: UnsafePointer<Float>, rows: Int, into out: UnsafeMutablePointer<Float>) {
        let c = inputShape.channels
        mean.withUnsafeBufferPointer { m in
            for r in 0..<rows { for ch in 0..<c { let d = x[r &* c &+ ch] - m[ch]; out[r &* c &+ ch] = d * d } }
        }
    }

    /// The batch variance of channel `ch` sets its inverse deviation and moves the moving statistics.
    private func setVariance(_ ch: Int, _ variance: Float) {
        invStd[ch] = 1 / (variance + epsilon).squareRoot()
        guard updatesMovingStatistics else { return }
        movingMean[ch] = movingMean[ch] * momentum + mean[ch] * (1 - momentum)
        movingVariance[ch] = movingVariance[ch] * momentum + variance * (1 - momentum)
    }

    func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, batch: Int, context: StepContext) {
        // x (N*H*W, C) -> y (N*H*W, C)
        let c = inputShape.channels, rows = batch * inputShape.height * inputShape.width
        let workers = context.workers
        usedBatchStatistics = context.mode == .training && !isFrozen
        if !usedBatchStatistics {
            for ch in 0..<c { mean[ch] = movingMean[ch]; invStd[ch] = 1 / (movingVariance[ch] + epsilon).squareRoot() }
        } else {
            columnSums(x, rows: rows, cols: c, into: &sums, partials: &partials, workers: workers)
            for ch in 0..<c { mean[ch] = sums[ch] / Float(rows) }
            // Second pass for the variance (numerically safer than E[x^2] - E[x]^2).
            let xhat = normalizedValues(context, batch: batch)
            squaredDeviations(x, rows: rows, into: xhat)
            columnSums(xhat, rows: rows, cols: c, into: &sums, partials: &partials, workers: workers)
            for ch in 0..<c { setVariance(ch, sums[ch] / Float(rows)) }
        }
        normalize(x, y, rows: rows, xhat: normalizedValues(context, batch: batch))
    }

    /// This call's normalized values (kept for backward), at its place in the workspace.
    private func normalizedValues(_ context: StepContext, batch: Int) -> UnsafeMutablePointer<Float> {
        normalized.reserve((context.workspaceBase + batch) * inputShape.count, initial: 0) + context.workspaceBase &* inputShape.count
    }

    /// y = gamma * (x - mean) * invStd + beta, keeping (x - mean) * invStd in `xhat`.
    private func normalize(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, rows: Int, xhat: UnsafeMutablePointer<Float>) {
        let c = inputShape.channels
        mean.withUnsafeBufferPointer { m in
            invStd.withUnsafeBufferPointer { s in
                for r in 0..<rows {
                    for ch in 0..<c {
                        let i = r &* c &+ ch
                        let h = (x[i] - m[ch]) * s[ch]
                        xhat[i] = h
                        y[i] = h * gamma[ch] + beta[ch]
                    }
                }
            }
        }
    }

    func backward(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ dy: UnsafeMutablePointer<Float>,
                  _ dx: UnsafeMutablePointer<Float>?, batch: Int, skipActivation: Bool, context: StepContext) {
        let c = inputShape.channels, rows = batch * inputShape.height * inputShape.width
        let xhat = normalizedValues(context, batch: batch)
        if !usedBatchStatistics {
            // Constant statistics: y = gamma * (x - mean) * invStd + beta is affine in x. A
            // frozen layer has no parameter gradients to compute.
            if !isFrozen {
                columnSums(dy, rows: rows, cols: c, into: betaGrad, partials: &partials, workers: context.workers)
                if let dx { for i in 0..<(rows &* c) { dx[i] = dy[i] * xhat[i] } }
                let scratch = dx ?? dy
                if dx == nil { for i in 0..<(rows &* c) { dy[i] *= xhat[i] } }
                columnSums(scratch, rows: rows, cols: c, into: gammaGrad, partials: &partials, workers: context.workers)
            }
            guard let dx else { return }
            invStd.withUnsafeBufferPointer { s in
                for r in 0..<rows { for ch in 0..<c { dx[r &* c &+ ch] = dy[r &* c &+ ch] * gamma[ch] * s[ch] } }
            }
            return
        }
        columnSums(dy, rows: rows, cols: c, into: betaGrad, partials: &partials, workers: context.workers)
        guard let dx else {
            for r in 0..<rows { for ch in 0..<c { dy[r &* c &+ ch] *= xhat[r &* c &+ ch] } }
            columnSums(dy, rows: rows, cols: c, into: gammaGrad, partials: &partials, workers: context.workers)
            return
        }
        // dx holds dy * xhat temporarily for the gamma gradient.
        for i in 0..<(rows &* c) { dx[i] = dy[i] * xhat[i] }
        columnSums(dx, rows: rows, cols: c, into: gammaGrad, partials: &partials, workers: context.workers)
        let m = Float(rows)
        invStd.withUnsafeBufferPointer { s in
            for r in 0..<rows {
                for ch in 0..<c {
                    let i = r &* c &+ ch
                    dx[i] = gamma[ch] * s[ch] / m * (m * dy[i] - betaGrad[ch] - xhat[i] * gammaGrad[ch])
                }
            }
        }
    }
}

extension BatchNormLayer {
    /// Training over a step's blocks: the mean and variance (and in backward the sums of `dy`
    /// and `dy * xhat`) are taken over the whole step — every block, on every process — as
    /// Keras takes them over the batch: each block's per-channel sums are exchanged and added
    /// in block order (`BlockPass.foldAcrossBlocks`), then every block is normalized with them.
    func forwardBlocks(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, pass: BlockPass,
                       context: StepContext) throws {
        usedBatchStatistics = context.mode == .training && !isFrozen
        guard usedBatchStatistics else { return forwardEachBlock(x, y, pass: pass, context: context) }
        let c = inputShape.channels, pixels = inputShape.height * inputShape.width
        let stepRows = Float(pass.blocks.batch * pixels), rows = pass.localCount * pixels
        try foldBlockSums(of: x, pass: pass, context: context, into: &sums)
        for ch in 0..<c { mean[ch] = sums[ch] / stepRows }
        let xhat = normalized.reserve(max(1, pass.localCount) * inputShape.count, initial: 0)
        squaredDeviations(x, rows: rows, into: xhat)
        try foldBlockSums(of: UnsafePointer(xhat), pass: pass, context: context, into: &sums)
        for ch in 0..<c { setVariance(ch, sums[ch] / stepRows) }
        normalize(x, y, rows: rows, xhat: xhat)
    }

    func backwardBlocks(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ dy: UnsafeMutablePointer<Float>,
                        _ dx: UnsafeMutablePointer<Float>?, pass: BlockPass, skipActivation: Bool, context: StepContext,
                        keep: (Int) -> Void) throws {
        guard usedBatchStatistics else {
            return backwardEachBlock(x, y, dy, dx, pass: pass, skipActivation: skipActivation, context: context, keep: keep)
        }
        let c = inputShape.channels, count = inputShape.count, pixels = inputShape.height * inputShape.width
        let xhat = normalized.pointer!, workers = context.workers
        // Per block: sum(dy) then sum(dy * xhat) (in dx, or in dy itself when no dx is wanted).
        var blockSums = [Float](repeating: 0, count: pass.local.count * 2 * c)
        blockSums.withUnsafeMutableBufferPointer { out in
            for (j, b) in pass.local.enumerated() {
                let s = pass.localSamples(b), first = s.lowerBound &* count, n = s.count &* count
                let part = out.baseAddress! + j &* 2 &* c
                columnSums(dy + first, rows: s.count &* pixels, cols: c, into: part, partials: &partials, workers: workers)
                let product = (dx ?? dy) + first
                for i in 0..<n { product[i] = dy[first &+ i] * xhat[first &+ i] }
                columnSums(product, rows: s.count &* pixels, cols: c, into: part + c, partials: &partials, workers: workers)
            }
        }
        var totals = [Float](repeating: 0, count: 2 * c)
        try totals.withUnsafeMutableBufferPointer { try pass.foldAcrossBlocks(blockSums, width: 2 * c, into: $0.baseAddress!) }
        if let dx {
            let m = Float(pass.blocks.batch * pixels), rows = pass.localCount * pixels
            totals.withUnsafeBufferPointer { t in
                invStd.withUnsafeBufferPointer { s in
                    for r in 0..<rows {
                        for ch in 0..<c {
                            let i = r &* c &+ ch
                            dx[i] = gamma[ch] * s[ch] / m * (m * dy[i] - t[ch] - xhat[i] * t[c &+ ch])
                        }
                    }
                }
            }
        }
        // Each block's own sums are its share of the parameter gradients (folded like every other).
        for (j, b) in pass.local.enumerated() {
            for ch in 0..<c { betaGrad[ch] = blockSums[j &* 2 &* c &+ ch]; gammaGrad[ch] = blockSums[j &* 2 &* c &+ c &+ ch] }
            keep(b)
        }
    }

    /// Per-channel sums of `values` (this process's samples) block by block, folded over every block.
    private func foldBlockSums(of values: UnsafePointer<Float>, pass: BlockPass, context: StepContext,
                               into out: inout [Float]) throws {
        let c = inputShape.channels, count = inputShape.count, pixels = inputShape.height * inputShape.width
        var blockSums = [Float](repeating: 0, count: pass.local.count * c)
        blockSums.withUnsafeMutableBufferPointer { p in
            for (j, b) in pass.local.enumerated() {
                let s = pass.localSamples(b)
                columnSums(values + s.lowerBound &* count, rows: s.count &* pixels, cols: c, into: p.baseAddress! + j &* c,
                           partials: &partials, workers: context.workers)
            }
        }
        try out.withUnsafeMutableBufferPointer { try pass.foldAcrossBlocks(blockSums, width: c, into: $0.baseAddress!) }
    }
}

/// `columnSums` into an array.
func columnSums(_ m: UnsafePointer<Float>, rows: Int, cols: Int, into out: inout [Float],
                partials: inout Workspace<Float>, workers: Workers) {
    out.withUnsafeMutableBufferPointer { o in
        columnSums(m, rows: rows, cols: cols, into: o.baseAddress!, partials: &partials, workers: workers)
    }
}
