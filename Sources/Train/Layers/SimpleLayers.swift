import DataPrep

/// Flatten: NHWC samples are already contiguous (h, w, c) vectors — Keras's channels-last
/// flatten order — so this is a copy that only relabels the shape.
final class FlattenLayer: Layer {
    let index: Int
    let spec: LayerSpec
    let inputShape: TensorShape
    let outputShape: TensorShape

    init(index: Int, spec: LayerSpec, input: TensorShape) {
        self.index = index; self.spec = spec; inputShape = input
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
    let index: Int
    let spec: LayerSpec
    let inputShape: TensorShape
    let outputShape: TensorShape
    let activation: Activation

    init(index: Int, spec: LayerSpec, input: TensorShape) {
        self.index = index; self.spec = spec; inputShape = input; outputShape = input
        activation = spec.activation ?? .linear
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
/// survivors scaled by `1 / (1 - rate)`; in inference it is the identity. The mask of sample `n`
/// at global step `s` comes from `SeededGenerator(seed, dropout, epoch: s, index: layer<<24 | n)`,
/// so it does not depend on thread count, and a resumed run draws the same masks.
final class DropoutLayer: Layer {
    let index: Int
    let spec: LayerSpec
    let inputShape: TensorShape
    let outputShape: TensorShape
    let rate: Float
    private var mask = Workspace<Float>()
    private var maskValid = false

    init(index: Int, spec: LayerSpec, input: TensorShape) {
        self.index = index; self.spec = spec; inputShape = input; outputShape = input
        rate = spec.rate ?? 0
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
        let m = mask.reserve(batch * size, initial: 0)
        let keep = 1 - rate, scale = 1 / keep, rate = self.rate, layer = index
        let parts = Workers.parts(count: batch, costPerItem: size * 4, maxParts: 16)
        context.workers.run(parts) { p in
            for n in Workers.range(p, of: parts, count: batch) {
                var generator = SeededGenerator(seed: context.seed, stream: StreamPurpose.dropout, epoch: context.step,
                                                index: layer << 24 | n)
                let mm = m + n &* size, xx = x + n &* size, yy = y + n &* size
                for i in 0..<size {
                    let v: Float = generator.nextFloat() < rate ? 0 : scale
                    mm[i] = v
                    yy[i] = xx[i] * v
                }
            }
        }
        maskValid = true
    }

    func backward(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ dy: UnsafeMutablePointer<Float>,
                  _ dx: UnsafeMutablePointer<Float>?, batch: Int, skipActivation: Bool, context: StepContext) {
        guard let dx else { return }
        let total = batch * inputShape.count
        guard maskValid, let m = mask.pointer else { dx.update(from: dy, count: total); return }
        for i in 0..<total { dx[i] = dy[i] * m[i] }
    }
}
