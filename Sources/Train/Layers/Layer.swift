internal import CKernels
/// Training or inference: an argument of every forward pass, never a global.
public enum Mode: Sendable {
    /// Dropout active, batch-norm uses and updates batch statistics.
    case training
    /// Dropout is the identity, batch-norm uses its moving statistics.
    case inference
}

/// What one forward/backward pass needs besides tensors.
struct StepContext {
    var mode: Mode
    var workers: Workers
    /// Root seed and global step: dropout masks are drawn from `(seed, dropout, step, layer, sample)`.
    var seed: UInt64
    var step: Int
    /// The step-batch index of the call's first sample (dropout keys: a sample's mask is the
    /// same whichever block or process computes it). 0 for a whole-batch call.
    var sampleBase = 0
    /// Where the call's first sample sits in this process's per-sample workspaces (dropout
    /// masks, batch-norm's normalized values), kept from the forward to the backward pass.
    var workspaceBase = 0
}

/// A layer of the engine. Layers are classes because they own preallocated workspaces
/// (im2col matrices, argmax indices, dropout masks) reused from step to step; a struct in an
/// array of existentials would risk a copy-on-write of a 50 MB buffer per step.
///
/// Memory contract: activations are NHWC float32, `batch * shape.count` floats, owned by the
/// network. `forward` writes `y`; `backward` receives `dy` (which it may overwrite, e.g. with
/// the gradient before its activation), writes its parameter gradients into the store and, when
/// `dx` is non-nil, the input gradient. Neither allocates once `reserve(batch:)` has run.
protocol Layer: AnyObject {
    var index: Int { get }
    var spec: LayerSpec { get }
    var inputShape: TensorShape { get }
    var outputShape: TensorShape { get }
    /// The output function fused into this layer (`.linear` when none).
    var activation: Activation { get }
    /// Parameter tensors the layer needs, in order.
    var declarations: [ParameterDeclaration] { get }
    /// Forward multiply-adds x 2 per sample (conv and dense only), for GFLOP/s reports.
    var forwardFLOPs: Int { get }

    /// Receives the store and the offsets of its declared tensors, in declaration order.
    func bind(_ store: ParameterStore, offsets: [Int])
    /// Allocates workspaces for batches of up to `batch` samples (no-op when already large enough).
    func reserve(batch: Int)
    func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, batch: Int, context: StepContext)
    /// - Parameter skipActivation: `dy` is already the gradient before the activation (the loss
    ///   fused softmax/sigmoid into its gradient).
    func backward(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ dy: UnsafeMutablePointer<Float>,
                  _ dx: UnsafeMutablePointer<Float>?, batch: Int, skipActivation: Bool, context: StepContext)
    /// Whether one forward call over several whole blocks gives every sample the bits its own
    /// block's call gives (the cut of the work never mixes samples of two blocks), so a process
    /// may run all its blocks in one call: fewer, larger calls keep both cores busy.
    func forwardKeepsBlocksApart(blockSize: Int) -> Bool
    /// The same for the backward pass: only layers without parameters (no sum over samples).
    var backwardKeepsBlocksApart: Bool { get }
    /// Training forward over one step's blocks (default: `forward` block by block, see `BlockPass`).
    func forwardBlocks(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, pass: BlockPass, context: StepContext) throws
    /// Backward over one step's blocks, calling `keep(block)` once a block's parameter
    /// gradients are in the store (default: `backward` block by block).
    func backwardBlocks(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ dy: UnsafeMutablePointer<Float>,
                        _ dx: UnsafeMutablePointer<Float>?, pass: BlockPass, skipActivation: Bool, context: StepContext,
                        keep: (Int) -> Void) throws
}

extension Layer {
    func forwardKeepsBlocksApart(blockSize: Int) -> Bool { false }
    var backwardKeepsBlocksApart: Bool { false }
    var declarations: [ParameterDeclaration] { [] }
    var forwardFLOPs: Int { 0 }
    var activation: Activation { .linear }
    func bind(_ store: ParameterStore, offsets: [Int]) {}
    func reserve(batch: Int) {}
}

/// A growable scratch buffer that only reallocates when asked for more than it holds.
struct Workspace<T> {
    private(set) var pointer: UnsafeMutablePointer<T>?
    private(set) var capacity = 0

    mutating func reserve(_ count: Int, initial: T) -> UnsafeMutablePointer<T> {
        if count > capacity || pointer == nil {
            pointer?.deallocate()
            let p = UnsafeMutablePointer<T>.allocate(capacity: max(1, count))
            p.initialize(repeating: initial, count: max(1, count))
            pointer = p
            capacity = max(1, count)
        }
        return pointer!
    }

    func free() { pointer?.deallocate() }
}

/// Sums `rows` rows of `cols` floats (`m (rows, cols) -> out (cols)`) in a fixed order: the
/// rows are cut into shape-determined parts, each summed into its own partial, and the partials
/// are added in part order, so the result does not depend on the thread count. A part's sums run
/// in C (`ck_column_sums`) at the CPU's level: each column is summed in row order with four
/// vectors of columns in registers (the plain Swift loop compiled to scalar `addss`, 19% of a
/// dogs-cats step; explicit Swift `SIMD8` spilled on the SSE2 build), the same bits at any width.
func columnSums(_ m: UnsafePointer<Float>, rows: Int, cols: Int, into out: UnsafeMutablePointer<Float>,
                partials: inout Workspace<Float>, workers: Workers) {
    let parts = Workers.parts(count: rows, costPerItem: cols)
    let scratch = partials.reserve(parts * cols, initial: 0)
    workers.run(parts) { p in
        let r = Workers.range(p, of: parts, count: rows)
        ck_column_sums(workers.isa.code, nil, UnsafeMutablePointer(mutating: m), r.lowerBound, r.upperBound, cols, scratch + p &* cols)
    }
    out.update(from: scratch, count: cols)
    for p in 1..<max(1, parts) {
        let acc = scratch + p &* cols
        for c in 0..<cols { out[c] += acc[c] }
    }
}

/// ReLU's backward pass and the bias gradient in one sweep over `dz`: `dz = y > 0 ? dz : 0` in
/// place, and the column sums of the result (same fixed part order as `columnSums`). Saves a
/// full read and write of the layer's output gradient.
///
/// // y (rows, cols), dz (rows, cols) -> dz masked, out (cols)
func reluBackwardColumnSums(_ y: UnsafePointer<Float>, _ dz: UnsafeMutablePointer<Float>, rows: Int, cols: Int,
                            into out: UnsafeMutablePointer<Float>, partials: inout Workspace<Float>, workers: Workers) {
    let parts = Workers.parts(count: rows, costPerItem: cols)
    let scratch = partials.reserve(parts * cols, initial: 0)
    workers.run(parts) { p in
        let r = Workers.range(p, of: parts, count: rows)
        ck_column_sums(workers.isa.code, y, dz, r.lowerBound, r.upperBound, cols, scratch + p &* cols)
    }
    out.update(from: scratch, count: cols)
    for p in 1..<max(1, parts) {
        let acc = scratch + p &* cols
        for c in 0..<cols { out[c] += acc[c] }
    }
}

/// The output-gradient preamble shared by conv and dense: the activation's backward pass and,
/// when the weights train, the bias gradient, fused into one sweep for ReLU.
func activationBackwardAndBiasGradient(_ activation: Activation, skipActivation: Bool, trainable: Bool,
                                       y: UnsafePointer<Float>, dz: UnsafeMutablePointer<Float>, rows: Int, cols: Int,
                                       biasGradient: UnsafeMutablePointer<Float>, partials: inout Workspace<Float>,
                                       workers: Workers) {
    if !skipActivation && activation == .relu && trainable {
        reluBackwardColumnSums(y, dz, rows: rows, cols: cols, into: biasGradient, partials: &partials, workers: workers)
        return
    }
    if !skipActivation { activation.applyBackward(y, dz, rows: rows, cols: cols, workers: workers) }
    if trainable { columnSums(dz, rows: rows, cols: cols, into: biasGradient, partials: &partials, workers: workers) }
}
