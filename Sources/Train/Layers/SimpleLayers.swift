import DataPrep
internal import CKernels

/// Flatten: NHWC samples are already contiguous (h, w, c) vectors — Keras's channels-last
/// flatten order — so this is a copy that only relabels the shape.
final class FlattenLayer: Layer {
    /// Per sample, no parameters: one call over several blocks is each block's own call.
    func forwardKeepsBlocksApart(blockSize: Int) -> Bool { true }
    var backwardKeepsBlocksApart: Bool { true }
    let index: Int
    let settings: FlattenSpec
    var spec: LayerSpec { .flatten(settings) }
    let inputShape: TensorShape
    let outputShape: TensorShape

    init(index: Int, settings: FlattenSpec, input: TensorShape) {
        self.index = index; self.settings = settings; inputShape = input
        outputShape = TensorShape(features: input.count)
    }

    func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, batch: Int, context: StepContext) {
        y.update(from: x, count: batch * inputShape.count)
    }

    func backward(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ dy: UnsafeMutablePointer<Float>,
                  _ dx: UnsafeMutablePointer<Float>?, batch: Int, skipActivation: Bool, context: StepContext) {
        dx?.update(from: dy, count: batch * inputShape.count)
    }
}

/// An activation on its own (`relu`, `softmax`, … as a spec item).
final class ActivationLayer: Layer {
    /// Per sample, no parameters: one call over several blocks is each block's own call.
    func forwardKeepsBlocksApart(blockSize: Int) -> Bool { true }
    var backwardKeepsBlocksApart: Bool { true }
    let index: Int
    let settings: ActivationSpec
    var spec: LayerSpec { .activation(settings) }
    let inputShape: TensorShape
    let outputShape: TensorShape
    let activation: Activation

    init(index: Int, settings: ActivationSpec, input: TensorShape) {
        self.index = index; self.settings = settings; inputShape = input; outputShape = input
        activation = settings.activation
    }

    func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, batch: Int, context: StepContext) {
        y.update(from: x, count: batch * inputShape.count)
        // Softmax normalises over the last axis (channels), as Keras.
        activation.applyForward(y, rows: batch * inputShape.height * inputShape.width, cols: inputShape.channels,
                                bias: nil, workers: context.workers)
    }

    func backward(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ dy: UnsafeMutablePointer<Float>,
                  _ dx: UnsafeMutablePointer<Float>?, batch: Int, skipActivation: Bool, context: StepContext) {
        if !skipActivation {
            activation.applyBackward(y, dy, rows: batch * inputShape.height * inputShape.width, cols: inputShape.channels,
                                     workers: context.workers)
        }
        dx?.update(from: dy, count: batch * inputShape.count)
    }
}

/// Inverted dropout as Keras: in training each value is zeroed with probability `rate` and the
/// survivors scaled by `1 / (1 - rate)`; in inference it is the identity. Sample `n` at global
/// step `s` draws one 64-bit key from `SeededGenerator(seed, dropout, epoch: s, index: layer<<24 | n)`;
/// element `i` is dropped when `DropoutHash.bits(key, i)` falls below `rate * 2^32`. So the mask
/// does not depend on thread count, a resumed run draws the same masks, and the per-element
/// work is a few integer ops that vectorize (measured 7.3 -> <1 ms on the dogs-cats preset's
/// first dropout, where one generator call per element did not inline across modules).
final class DropoutLayer: Layer {
    /// Per sample, no parameters: one call over several blocks is each block's own call.
    func forwardKeepsBlocksApart(blockSize: Int) -> Bool { true }
    var backwardKeepsBlocksApart: Bool { true }
    let index: Int
    let settings: DropoutSpec
    var spec: LayerSpec { .dropout(settings) }
    let inputShape: TensorShape
    let outputShape: TensorShape
    let rate: Float
    private var mask = Workspace<Float>()
    private var maskValid = false

    init(index: Int, settings: DropoutSpec, input: TensorShape) {
        self.index = index; self.settings = settings; inputShape = input; outputShape = input
        rate = settings.rate
    }

    deinit { mask.free() }

    func reserve(batch: Int) { _ = mask.reserve(batch * inputShape.count, initial: 0) }

    func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, batch: Int, context: StepContext) {
        let size = inputShape.count
        guard context.mode == .training, rate > 0 else {
            y.update(from: x, count: batch * size)
            maskValid = false
            return
        }
        let m = mask.reserve((context.workspaceBase + batch) * size, initial: 0) + context.workspaceBase &* size
        let scale = 1 / (1 - rate), layer = index
        let threshold = UInt32(min(Double(rate) * 4_294_967_296, 4_294_967_295))
        let parts = Workers.parts(count: batch, costPerItem: size, maxParts: 16)
        context.workers.run(parts) { p in
            for n in Workers.range(p, of: parts, count: batch) {
                var generator = SeededGenerator(seed: context.seed, stream: StreamPurpose.dropout, epoch: context.step,
                                                index: layer << 24 | (context.sampleBase &+ n))
                let key = generator.next()
                let k0 = UInt32(truncatingIfNeeded: key), k1 = UInt32(truncatingIfNeeded: key >> 32)
                // mask[i] = DropoutHash.bits(k0, k1, i) < threshold ? 0 : scale, y = x * mask, in C
                // at the CPU's level (SSE2 has no 32-bit vector multiply for the hash).
                ck_dropout(context.workers.isa.code, k0, k1, threshold, scale, x + n &* size, y + n &* size, m + n &* size, size)
            }
        }
        maskValid = true
    }

    func backward(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ dy: UnsafeMutablePointer<Float>,
                  _ dx: UnsafeMutablePointer<Float>?, batch: Int, skipActivation: Bool, context: StepContext) {
        guard let dx else { return }
        let total = batch * inputShape.count
        guard maskValid, let masks = mask.pointer else { dx.update(from: dy, count: total); return }
        let m = masks + context.workspaceBase &* inputShape.count
        // On the workers like the forward pass: a serial sweep here was time the second core idled.
        let parts = Workers.parts(count: total, costPerItem: 1, maxParts: 16)
        context.workers.run(parts) { p in
            for i in Workers.range(p, of: parts, count: total) { dx[i] = dy[i] * m[i] }
        }
    }
}

/// A counter-based hash for dropout masks: murmur3's 32-bit finalizer of the element index mixed
/// with a per-sample key. Stateless, so element `i` needs no earlier draws and the loop vectorizes.
/// The layer runs the same hash in C (`ck_dropout`); this is the reference the tests compare with.
enum DropoutHash {
    @inline(__always)
    static func bits(_ k0: UInt32, _ k1: UInt32, _ i: UInt32) -> UInt32 {
        var h = (i &* 0x9E37_79B1) ^ k0
        h ^= h >> 16; h = h &* 0x85EB_CA6B
        h ^= h >> 13; h = h &* 0xC2B2_AE35
        h ^= h >> 16
        h = (h ^ k1) &* 0x2710_0D1B
        return h ^ (h >> 15)
    }
}
