/// Dense on a flat input: kernel (in, out) as Keras, bias and activation fused into the output pass.
final class DenseLayer: Layer {
    let index: Int
    let settings: DenseSpec
    var spec: LayerSpec { .dense(settings) }
    let inputShape: TensorShape
    let outputShape: TensorShape
    let units: Int
    let activation: Activation
    private var kernel: UnsafeMutablePointer<Float>!
    private var bias: UnsafeMutablePointer<Float>!
    private var kernelGrad: UnsafeMutablePointer<Float>!
    private var biasGrad: UnsafeMutablePointer<Float>!
    private var store: ParameterStore!
    private var kernelTensor = 0
    private var partials = Workspace<Float>()

    init(index: Int, settings: DenseSpec, input: TensorShape) throws {
        guard input.isFlat || (input.height == 1 && input.width == 1) else {
            throw TrainError.shapeMismatch(layer: "\(index) (\(LayerSpec.dense(settings).text))",
                                           reason: "dense needs a flat input, got \(input): add \"flatten\" before it")
        }
        self.index = index; self.settings = settings; inputShape = input
        units = settings.units
        activation = settings.activation
        outputShape = TensorShape(features: units)
    }

    deinit { partials.free() }

    var declarations: [ParameterDeclaration] {
        [ParameterDeclaration(name: "kernel", shape: [inputShape.count, units], role: .kernel,
                              initializer: settings.weights.initializerOrDefault, fanIn: inputShape.count, fanOut: units,
                              l1: settings.weights.l1Penalty, l2: settings.weights.l2Penalty),
         ParameterDeclaration(name: "bias", shape: [units], role: .bias)]
    }

    var forwardFLOPs: Int { 2 * inputShape.count * units }

    func bind(_ store: ParameterStore, offsets: [Int]) {
        self.store = store
        kernel = store.values + offsets[0]; bias = store.values + offsets[1]
        kernelGrad = store.gradients + offsets[0]; biasGrad = store.gradients + offsets[1]
        kernelTensor = store.tensors.firstIndex { $0.offset == offsets[0] } ?? 0
    }

    func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, batch: Int, context: StepContext) {
        // x (N, I), kernel (I, O) -> y (N, O)
        ParallelGEMM.multiply(m: batch, n: units, k: inputShape.count, a: x, b: kernel, c: y, workers: context.workers)
        activation.applyForward(y, rows: batch, cols: units, bias: bias, workers: context.workers)
    }

    func backward(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ dy: UnsafeMutablePointer<Float>,
                  _ dx: UnsafeMutablePointer<Float>?, batch: Int, skipActivation: Bool, context: StepContext) {
        let inputs = inputShape.count, workers = context.workers
        let trainable = store.tensors[kernelTensor].trainable
        activationBackwardAndBiasGradient(activation, skipActivation: skipActivation, trainable: trainable, y: y, dz: dy,
                                          rows: batch, cols: units, biasGradient: biasGrad, partials: &partials, workers: workers)
        if trainable {
            // dW (I, O) = x^T (I, N) * dZ (N, O)
            ParallelGEMM.multiply(m: inputs, n: units, k: batch, a: x, transposeA: true, b: dy, c: kernelGrad, workers: workers)
        }
        if let dx {
            // dx (N, I) = dZ (N, O) * W^T (O, I)
            ParallelGEMM.multiply(m: batch, n: inputs, k: units, a: dy, b: kernel, transposeB: true, c: dx, workers: workers)
        }
    }
}
