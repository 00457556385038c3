import DataPrep

/// A sequential network built from a `ModelSpec`: its layers, all parameters in one
/// `ParameterStore`, and activation / gradient buffers preallocated for a batch capacity.
///
/// Not thread-safe: one forward/backward at a time (the work inside runs on `threads` threads).
public final class Network {
    public let spec: ModelSpec
    public let inputShape: TensorShape
    public let parameters: ParameterStore
    let layers: [any Layer]
    /// Threads for the work inside each layer. Results are bit-identical for any value.
    public var threads: Int {
        didSet { precondition(threads >= 1, "threads must be at least 1, got \(threads)") }
    }
    /// When set, GEMM time is accumulated here (benchmarks).
    public var gemmClock: GEMMClock?
    /// When set, per-layer forward/backward time is accumulated here (benchmarks).
    public var profile: LayerProfile?
    /// Keras-style layer descriptions, in order (for profiles and summaries).
    public var layerTexts: [String] { layers.map { $0.spec.text } }

    private(set) var capacity = 0
    private(set) var outputs: [UnsafeMutablePointer<Float>] = []
    private(set) var gradientA: UnsafeMutablePointer<Float>?
    private(set) var gradientB: UnsafeMutablePointer<Float>?

    /// How the kernels cut their work on this machine (tile sizes from its L1d, see `KernelTuning`).
    public let tuning: KernelTuning

    /// Builds the layers for `input` and initialises the weights from `seed` (tensor `t` uses
    /// the stream `SeededGenerator(seed, initialization, index: t)`).
    ///
    /// - Parameter tuning: the machine's cache-derived cuts (`.host`); tests and benchmarks pass
    ///   others to check or measure the cuts another CPU would make.
    public init(spec: ModelSpec, input: TensorShape, seed: UInt64, threads: Int = 1, tuning: KernelTuning = .host) throws {
        precondition(threads >= 1, "threads must be at least 1, got \(threads)")
        self.spec = spec; inputShape = input; self.threads = threads; self.tuning = tuning
        layers = try Self.makeLayers(spec, input: input, tuning: tuning)
        parameters = ParameterStore(tensors: Self.declaredTensors(layers))
        var t = 0
        for layer in layers {
            for d in layer.declarations {
                var generator = SeededGenerator(seed: seed, stream: StreamPurpose.initialization, index: t)
                d.fill(parameters.values + parameters.tensors[t].offset, using: &generator)
                t += 1
            }
        }
        Self.bind(layers, to: parameters)
        GEMM.warmUp()
        // One BLAS thread per call: the engine splits products itself (see `Workers`).
        GEMM.setBLASThreads(1)
    }

    /// A replica of `owner` for another thread of the same step (`ReplicaTeam`): its own layers,
    /// activations, workspaces and gradients, reading `owner`'s weights in place. Its batch-norm
    /// layers leave the moving statistics to the owner; one thread per layer call.
    init(replicaOf owner: Network) throws {
        spec = owner.spec; inputShape = owner.inputShape; threads = 1; tuning = owner.tuning
        layers = try Self.makeLayers(spec, input: inputShape, tuning: tuning)
        parameters = ParameterStore(sharingValuesOf: owner.parameters)
        Self.bind(layers, to: parameters)
        for case let batchNorm as BatchNormLayer in layers { batchNorm.updatesMovingStatistics = false }
    }

    private static func makeLayers(_ spec: ModelSpec, input: TensorShape, tuning: KernelTuning) throws -> [any Layer] {
        var shape = input
        var layers: [any Layer] = []
        for (i, layerSpec) in spec.layers.enumerated() {
            let layer = try makeLayer(index: i, spec: layerSpec, input: shape, tuning: tuning)
            layers.append(layer)
            shape = layer.outputShape
        }
        return layers
    }

    /// Every layer's declared tensors, laid out one after another in layer order.
    private static func declaredTensors(_ layers: [any Layer]) -> [ParameterStore.Tensor] {
        var tensors: [ParameterStore.Tensor] = []
        var offset = 0
        for layer in layers {
            for d in layer.declarations {
                tensors.append(ParameterStore.Tensor(
                    name: "layers.\(layer.index).\(layer.spec.pathName).\(d.name)", shape: d.shape, offset: offset,
                    count: d.count, layer: layer.index, role: d.role,
                    trainable: layer.spec.isTrainable && !d.role.isStatistic, l1: d.l1, l2: d.l2))
                offset += d.count
            }
        }
        return tensors
    }

    /// Hands each layer its tensors' offsets in `store`, in declaration order.
    private static func bind(_ layers: [any Layer], to store: ParameterStore) {
        var t = 0
        for layer in layers {
            let count = layer.declarations.count
            layer.bind(store, offsets: store.tensors[t..<t + count].map(\.offset))
            t += count
        }
    }

    deinit { freeBuffers() }

    static func makeLayer(index: Int, spec: LayerSpec, input: TensorShape, tuning: KernelTuning) throws -> any Layer {
        switch spec {
        case .conv(let conv):
            guard !input.isFlat else {
                throw TrainError.shapeMismatch(layer: "\(index) (\(spec.text))", reason: "conv needs an HxWxC input, got flat \(input)")
            }
            return try Conv2DLayer(index: index, settings: conv, input: input, tuning: tuning)
        case .dense(let dense): return try DenseLayer(index: index, settings: dense, input: input)
        case .maxpool(let pool): return try MaxPool2DLayer(index: index, settings: pool, input: input)
        case .avgpool(let pool): return try AveragePool2DLayer(index: index, settings: pool, input: input)
        case .dropout(let dropout): return DropoutLayer(index: index, settings: dropout, input: input)
        case .flatten(let flatten): return FlattenLayer(index: index, settings: flatten, input: input)
        case .batchnorm(let batchNorm): return BatchNormLayer(index: index, settings: batchNorm, input: input)
        case .activation(let activation): return ActivationLayer(index: index, settings: activation, input: input)
        }
    }

    /// The shape of one output sample.
    public var outputShape: TensorShape { layers.last?.outputShape ?? inputShape }
    /// The final layer's activation (decides the loss).
    public var outputActivation: Activation { layers.last?.activation ?? .linear }
    /// Forward FLOPs (2 x multiply-adds of conv and dense layers) per sample.
    public var forwardFLOPs: Int { layers.reduce(0) { $0 + $1.forwardFLOPs } }

    /// Allocates every buffer for batches of up to `batch` samples. Called by `forward` when a
    /// larger batch arrives; call it up front to keep allocation out of the first step.
    public func reserve(batch: Int) {
        precondition(batch >= 1, "batch must be positive, got \(batch)")
        guard batch > capacity else { return }
        freeBuffers()
        capacity = batch
        var largest = inputShape.count
        for layer in layers {
            let p = UnsafeMutablePointer<Float>.allocate(capacity: batch * layer.outputShape.count)
            p.initialize(repeating: 0, count: batch * layer.outputShape.count)
            outputs.append(p)
            largest = max(largest, layer.outputShape.count)
            layer.reserve(batch: batch)
        }
        gradientA = .allocate(capacity: batch * largest); gradientA!.initialize(repeating: 0, count: batch * largest)
        gradientB = .allocate(capacity: batch * largest); gradientB!.initialize(repeating: 0, count: batch * largest)
    }

    private func freeBuffers() {
        for p in outputs { p.deallocate() }
        outputs = []
        gradientA?.deallocate(); gradientB?.deallocate()
        gradientA = nil; gradientB = nil
    }

    /// - Parameter threads: overrides `threads` (a team's thread runs its blocks on one thread).
    func context(mode: Mode, seed: UInt64, step: Int, threads: Int? = nil) -> StepContext {
        StepContext(mode: mode, workers: Workers(threads: threads ?? self.threads, clock: gemmClock, isa: tuning.isa), seed: seed, step: step)
    }

    /// Runs the layers on `batch` samples at `input` (NHWC) and returns the output buffer
    /// (`batch * outputShape.count` floats, valid until the next call).
    ///
    /// - Parameters:
    ///   - seed, step: pick the dropout masks in training mode.
    @discardableResult
    public func forward(_ input: UnsafePointer<Float>, batch: Int, mode: Mode, seed: UInt64 = 0, step: Int = 0) -> UnsafeMutablePointer<Float> {
        reserve(batch: batch)
        let ctx = context(mode: mode, seed: seed, step: step)
        var x = input
        for (i, layer) in layers.enumerated() {
            let start = profile == nil ? 0 : GEMMClock.now()
            layer.forward(x, outputs[i], batch: batch, context: ctx)
            profile?.addForward(i, since: start)
            x = UnsafePointer(outputs[i])
        }
        return outputs.last ?? UnsafeMutablePointer(mutating: input)
    }

    /// The output of layer `index` from the last `forward` (`batch * layerSummaries[index].output.count`
    /// floats, NHWC, valid until the next call): what `explain` reads for activation maps and statistics.
    public func output(ofLayer index: Int) -> UnsafePointer<Float> {
        precondition(index >= 0 && index < outputs.count, "layer \(index) outside 0..<\(outputs.count) (forward not run yet?)")
        return UnsafePointer(outputs[index])
    }

    /// The buffer the loss writes the output gradient into before `backward`.
    var outputGradient: UnsafeMutablePointer<Float> { gradientA! }

    /// Backpropagates the gradient in `outputGradient` through the layers of the last forward
    /// pass, writing every parameter gradient into `parameters.gradients`.
    ///
    /// - Parameter fusedOutputActivation: the gradient is already taken before the last layer's
    ///   activation (softmax + cross-entropy, sigmoid + binary cross-entropy).
    func backward(input: UnsafePointer<Float>, batch: Int, fusedOutputActivation: Bool, seed: UInt64, step: Int) {
        // The whole batch as one block, on this process alone: nothing to exchange, nothing thrown.
        let pass = BlockPass(blocks: SampleBlocks(batch: batch, size: batch), exchange: SingleProcess())
        try? backward(input: input, pass: pass, gradients: BlockGradients(store: parameters, layers: layers.count),
                      fusedOutputActivation: fusedOutputActivation, seed: seed, step: step)
    }

    /// Input gradient of the first layer, for gradient checks: backward with `dx` kept.
    func backwardToInput(input: UnsafePointer<Float>, batch: Int, into dInput: UnsafeMutablePointer<Float>,
                         fusedOutputActivation: Bool) {
        let ctx = context(mode: .training, seed: 0, step: 0)
        var dy = gradientA!, spare = gradientB!
        for i in stride(from: layers.count - 1, through: 0, by: -1) {
            let x = i == 0 ? input : UnsafePointer(outputs[i - 1])
            let dx: UnsafeMutablePointer<Float> = i == 0 ? dInput : spare
            layers[i].backward(x, outputs[i], dy, dx, batch: batch,
                               skipActivation: fusedOutputActivation && i == layers.count - 1, context: ctx)
            swap(&dy, &spare)
        }
    }

    /// Layer descriptions for summaries: (checkpoint prefix, Keras-style name, output shape, parameters).
    public var layerSummaries: [(path: String, kind: String, output: TensorShape, parameters: Int, trainable: Int)] {
        layers.map { layer in
            let tensors = parameters.tensors.filter { $0.layer == layer.index }
            return ("layers.\(layer.index).\(layer.spec.pathName)", layer.spec.kerasType, layer.outputShape,
                    tensors.reduce(0) { $0 + $1.count }, tensors.filter(\.trainable).reduce(0) { $0 + $1.count })
        }
    }

    /// Freezes or unfreezes a layer's weights (fine-tuning hook; see `ParameterStore.setTrainable`).
    public func setTrainable(layer: Int, _ trainable: Bool) { parameters.setTrainable(layer: layer, trainable) }
}
