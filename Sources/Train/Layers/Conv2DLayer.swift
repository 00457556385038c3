/// Conv2D, NHWC, kernel (KH, KW, C, O) as Keras, optional same padding and stride, bias and
/// activation fused into the output pass.
///
/// Forward: im2col of the whole batch into one (N*OH*OW, KH*KW*C) matrix, then one product
/// with the kernel (cut into a few row blocks for the worker threads). Backward: weight gradient
/// `col^T * dZ` and input gradient `dZ * W^T` are again one product each, the latter followed by
/// col2im. The im2col matrix from the forward pass is kept for the weight gradient and then
/// reused as the buffer of the column gradient.
final class Conv2DLayer: Layer {
    let index: Int
    let spec: LayerSpec
    let inputShape: TensorShape
    let outputShape: TensorShape
    let geometry: ConvGeometry
    let filters: Int
    let activation: Activation
    private var kernel: UnsafeMutablePointer<Float>!
    private var bias: UnsafeMutablePointer<Float>!
    private var kernelGrad: UnsafeMutablePointer<Float>!
    private var biasGrad: UnsafeMutablePointer<Float>!
    private var store: ParameterStore!
    private var kernelTensor = 0
    private var col = Workspace<Float>()
    private var partials = Workspace<Float>()

    init(index: Int, spec: LayerSpec, input: TensorShape) throws {
        self.index = index; self.spec = spec; inputShape = input
        let k = spec.kernel ?? [1, 1], s = spec.stride ?? [1, 1]
        guard let g = ConvGeometry(height: input.height, width: input.width, channels: input.channels,
                                   kernel: (k[0], k[1]), stride: (s[0], s[1]), padding: spec.padding ?? .valid) else {
            throw TrainError.shapeMismatch(layer: "\(index) (\(spec.text))",
                                           reason: "a \(k[0])x\(k[1]) valid window does not fit the \(input) input")
        }
        geometry = g
        filters = spec.filters ?? 1
        activation = spec.activation ?? .linear
        outputShape = TensorShape(height: g.outHeight, width: g.outWidth, channels: filters)
    }

    deinit { col.free(); partials.free() }

    var declarations: [ParameterDeclaration] {
        let g = geometry
        return [
            ParameterDeclaration(name: "kernel", shape: [g.kernelHeight, g.kernelWidth, g.channels, filters], role: .kernel,
                                 initializer: spec.initializer ?? .glorot, fanIn: g.patchSize,
                                 fanOut: g.kernelHeight * g.kernelWidth * filters, l1: spec.l1 ?? 0, l2: spec.l2 ?? 0),
            ParameterDeclaration(name: "bias", shape: [filters], role: .bias),
        ]
    }

    var forwardFLOPs: Int { 2 * outputShape.height * outputShape.width * filters * geometry.patchSize }

    func bind(_ store: ParameterStore, offsets: [Int]) {
        self.store = store
        kernel = store.values + offsets[0]; bias = store.values + offsets[1]
        kernelGrad = store.gradients + offsets[0]; biasGrad = store.gradients + offsets[1]
        kernelTensor = store.tensors.firstIndex { $0.offset == offsets[0] } ?? 0
    }

    func reserve(batch: Int) {
        if !geometry.isPointwise { _ = col.reserve(batch * geometry.outHeight * geometry.outWidth * geometry.patchSize, initial: 0) }
    }

    func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, batch: Int, context: StepContext) {
        // x (N, H, W, C), kernel (KH, KW, C, O) -> y (N, OH, OW, O)
        let g = geometry, rows = batch * g.outHeight * g.outWidth, patch = g.patchSize
        let a = packed(x, batch: batch, workers: context.workers)
        ParallelGEMM.multiply(m: rows, n: filters, k: patch, a: a, b: kernel, c: y, workers: context.workers)
        activation.applyForward(y, rows: rows, cols: filters, bias: bias, workers: context.workers)
    }

    /// The im2col matrix of the batch (or `x` itself for a pointwise convolution).
    private func packed(_ x: UnsafePointer<Float>, batch: Int, workers: Workers) -> UnsafePointer<Float> {
        let g = geometry
        if g.isPointwise { return x }
        let colRows = g.outHeight * g.outWidth, patch = g.patchSize
        let c = col.reserve(batch * colRows * patch, initial: 0)
        let parts = Workers.parts(count: batch, costPerItem: colRows * patch, maxParts: 16)
        workers.run(parts) { p in
            for n in Workers.range(p, of: parts, count: batch) {
                Im2Col.pack(g, x + n &* g.inputCount, c + n &* colRows &* patch)
            }
        }
        return UnsafePointer(c)
    }

    func backward(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ dy: UnsafeMutablePointer<Float>,
                  _ dx: UnsafeMutablePointer<Float>?, batch: Int, skipActivation: Bool, context: StepContext) {
        let g = geometry, colRows = g.outHeight * g.outWidth, rows = batch * colRows, patch = g.patchSize
        let workers = context.workers
        if !skipActivation { activation.applyBackward(y, dy, rows: rows, cols: filters, workers: workers) }
        if store.tensors[kernelTensor].trainable {
            columnSums(dy, rows: rows, cols: filters, into: biasGrad, partials: &partials, workers: workers)
            // dW (KH*KW*C, O) = col^T (KH*KW*C, rows) * dZ (rows, O)
            let a: UnsafePointer<Float> = g.isPointwise ? x : UnsafePointer(col.pointer!)
            ParallelGEMM.multiply(m: patch, n: filters, k: rows, a: a, transposeA: true, b: dy, c: kernelGrad, workers: workers)
        }
        guard let dx else { return }
        if g.isPointwise {
            ParallelGEMM.multiply(m: rows, n: patch, k: filters, a: dy, b: kernel, transposeB: true, c: dx, workers: workers)
            return
        }
        // dCol (rows, KH*KW*C) = dZ (rows, O) * W^T (O, KH*KW*C), into the im2col buffer, then col2im.
        let c = col.pointer!
        ParallelGEMM.multiply(m: rows, n: patch, k: filters, a: dy, b: kernel, transposeB: true, c: c, workers: workers)
        let parts = Workers.parts(count: batch, costPerItem: colRows * patch, maxParts: 16)
        workers.run(parts) { p in
            for n in Workers.range(p, of: parts, count: batch) {
                Im2Col.unpack(g, c + n &* colRows &* patch, dx + n &* g.inputCount)
            }
        }
    }
}
