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
            let xhat = normalized.reserve(batch * inputShape.count, initial: 0)
            mean.withUnsafeBufferPointer { m in
                for r in 0..<rows { for ch in 0..<c { let d = x[r &* c &+ ch] - m[ch]; xhat[r &* c &+ ch] = d * d } }
            }
            columnSums(xhat, rows: rows, cols: c, into: &sums, partials: &partials, workers: workers)
            for ch in 0..<c {
                let variance = sums[ch] / Float(rows)
                invStd[ch] = 1 / (variance + epsilon).squareRoot()
                movingMean[ch] = movingMean[ch] * momentum + mean[ch] * (1 - momentum)
                movingVariance[ch] = movingVariance[ch] * momentum + variance * (1 - momentum)
            }
        }
        let xhat = normalized.reserve(batch * inputShape.count, initial: 0)
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
        let xhat = normalized.pointer!
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

/// `columnSums` into an array.
func columnSums(_ m: UnsafePointer<Float>, rows: Int, cols: Int, into out: inout [Float],
                partials: inout Workspace<Float>, workers: Workers) {
    out.withUnsafeMutableBufferPointer { o in
        columnSums(m, rows: rows, cols: cols, into: o.baseAddress!, partials: &partials, workers: workers)
    }
}
