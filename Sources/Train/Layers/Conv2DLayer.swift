/// Conv2D, NHWC, kernel (KH, KW, C, O) as Keras, optional same padding and stride, bias and
/// activation fused into the output pass.
///
/// Forward: the batch is cut into `ConvTiling` tiles (whole samples, or row blocks of one
/// sample, sized from the CPU's L1d); each tile is packed (im2col), multiplied with the kernel
/// and activated while it is in cache, tiles spread over the worker threads. Backward: the weight gradient
/// `col^T * dZ` is summed tile by tile (each tile re-packed from x), and each tile's input
/// gradient `dZ * W^T` follows on the same thread, then col2im.
final class Conv2DLayer: Layer {
    let index: Int
    let settings: Conv2DSpec
    var spec: LayerSpec { .conv(settings) }
    let inputShape: TensorShape
    let outputShape: TensorShape
    let geometry: ConvGeometry
    let filters: Int
    let activation: Activation
    /// The machine's tile size and part count (fixed for the layer's life).
    let tuning: KernelTuning
    private var kernel: UnsafeMutablePointer<Float>!
    private var bias: UnsafeMutablePointer<Float>!
    private var kernelGrad: UnsafeMutablePointer<Float>!
    private var biasGrad: UnsafeMutablePointer<Float>!
    private var store: ParameterStore!
    private var kernelTensor = 0
    private var col = Workspace<Float>()
    private var partials = Workspace<Float>()
    private var gradientPartials = Workspace<Float>()
    private var kernelTransposed = Workspace<Float>()
    /// Set when this shape runs on Winograd F(2x2, 3x3) (`ConvAlgorithm`), else im2col + GEMM.
    let winograd: WinogradConvolution?

    init(index: Int, settings: Conv2DSpec, input: TensorShape, tuning: KernelTuning) throws {
        self.index = index; self.settings = settings; inputShape = input; self.tuning = tuning
        let k = settings.kernel, s = settings.stride
        guard let g = ConvGeometry(height: input.height, width: input.width, channels: input.channels,
                                   kernel: (k.height, k.width), stride: (s.height, s.width), padding: settings.padding) else {
            throw TrainError.shapeMismatch(layer: "\(index) (\(LayerSpec.conv(settings).text))",
                                           reason: "a \(k.height)x\(k.width) valid window does not fit the \(input) input")
        }
        geometry = g
        filters = settings.filters
        activation = settings.activation
        outputShape = TensorShape(height: g.outHeight, width: g.outWidth, channels: filters)
        winograd = ConvAlgorithm.usesWinograd(g, filters: filters, choice: tuning.convolutions)
            ? WinogradConvolution(geometry: g, filters: filters, tuning: tuning) : nil
    }

    deinit { col.free(); partials.free(); gradientPartials.free(); kernelTransposed.free() }

    /// The forward pass is one product per tile, tiles never share samples across a tile
    /// boundary, and tiles start at sample multiples of `samplesPerTile` from the call's first
    /// sample (a block boundary): when the block size is a multiple of it (or samples are cut
    /// into row blocks) a call over several blocks makes exactly the tiles, so the products,
    /// of the blocks' own calls. The backward pass sums over samples: block by block.
    func forwardKeepsBlocksApart(blockSize: Int) -> Bool {
        let g = geometry
        let tiling = winograd?.tiling(batch: blockSize)
            ?? ConvTiling(batch: blockSize, rowsPerSample: g.outHeight * g.outWidth, width: max(g.patchSize, filters), tuning: tuning)
        return tiling.rowBlocks > 1 || blockSize % tiling.samplesPerTile == 0
    }

    var declarations: [ParameterDeclaration] {
        let g = geometry
        return [
            ParameterDeclaration(name: "kernel", shape: [g.kernelHeight, g.kernelWidth, g.channels, filters], role: .kernel,
                                 initializer: settings.weights.initializerOrDefault, fanIn: g.patchSize,
                                 fanOut: g.kernelHeight * g.kernelWidth * filters, l1: settings.weights.l1Penalty,
                                 l2: settings.weights.l2Penalty),
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
        if let winograd { winograd.reserve(batch: batch) } else { _ = columnBuffer(batch: batch) }
    }

    /// One tile-sized im2col buffer per part (none for a pointwise convolution).
    private func columnBuffer(batch: Int) -> UnsafeMutablePointer<Float>? {
        let g = geometry, colRows = g.outHeight * g.outWidth
        if g.isPointwise { return nil }
        let tiling = ConvTiling(batch: batch, rowsPerSample: colRows, width: max(g.patchSize, filters), tuning: tuning)
        return col.reserve(tiling.parts * tiling.maxTileRows * g.patchSize, initial: 0)
    }

    /// Packs tile `t`'s im2col rows into part `p`'s buffer (or points into `x` when the
    /// convolution is pointwise and im2col would be a copy).
    @inline(__always)
    private static func tileColumns(_ g: ConvGeometry, _ tiling: ConvTiling, _ t: Int, part p: Int, x: UnsafePointer<Float>,
                                    buffer c: UnsafeMutablePointer<Float>?) -> UnsafePointer<Float> {
        let samples = tiling.samples(t), rows = tiling.rows(t), first = samples.lowerBound
        guard let c else { return x + first &* g.inputCount + rows.lowerBound &* g.patchSize }
        let buffer = c + p &* tiling.maxTileRows &* g.patchSize, sampleRows = rows.count &* g.patchSize
        for n in samples { Im2Col.pack(g, x + n &* g.inputCount, buffer + (n &- first) &* sampleRows, rows: rows) }
        return UnsafePointer(buffer)
    }

    func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, batch: Int, context: StepContext) {
        // x (N, H, W, C), kernel (KH, KW, C, O) -> y (N, OH, OW, O), via im2col tiles (rows, KH*KW*C)
        if let winograd {
            winograd.forward(x, y, batch: batch, kernel: kernel, bias: bias, activation: activation, workers: context.workers)
            return
        }
        let g = geometry, colRows = g.outHeight * g.outWidth, patch = g.patchSize, filters = filters
        let tiling = ConvTiling(batch: batch, rowsPerSample: colRows, width: max(patch, filters), tuning: tuning)
        let c = columnBuffer(batch: batch)
        let kernel = UnsafePointer(kernel!), bias = UnsafePointer(bias!), activation = activation
        let timer = TileTimer(tiles: tiling.tiles, clock: context.workers.clock)
        context.workers.run(tiling.parts) { p in
            for t in tiling.tiles(ofPart: p) {
                let a = Self.tileColumns(g, tiling, t, part: p, x: x, buffer: c)
                let rows = tiling.batchRows(t)
                let out = y + rows.lowerBound &* filters
                timer.time(t) {
                    GEMM.multiply(m: rows.count, n: filters, k: patch, a: a, lda: patch, b: kernel, ldb: filters, c: out, ldc: filters)
                }
                Activation.forwardRows(activation, out, rows: rows.count, cols: filters, bias: bias, isa: context.workers.isa)
            }
        }
        timer.report(threads: min(context.workers.threads, tiling.parts))
    }

    func backward(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ dy: UnsafeMutablePointer<Float>,
                  _ dx: UnsafeMutablePointer<Float>?, batch: Int, skipActivation: Bool, context: StepContext) {
        let g = geometry, colRows = g.outHeight * g.outWidth, rows = batch * colRows, patch = g.patchSize
        let workers = context.workers, filters = filters
        let trainable = store.tensors[kernelTensor].trainable
        activationBackwardAndBiasGradient(activation, skipActivation: skipActivation, trainable: trainable, y: y, dz: dy,
                                          rows: rows, cols: filters, biasGradient: biasGrad, partials: &partials, workers: workers)
        if let winograd {
            winograd.backward(x, dy, dx, batch: batch, kernel: kernel, kernelGradient: trainable ? kernelGrad : nil, workers: workers)
            return
        }
        let cut = ConvTiling(batch: batch, rowsPerSample: colRows, width: max(patch, filters), tuning: tuning)
        let tiling = trainable ? cut.cappedForReduction(rows: rows) : cut
        let c = columnBuffer(batch: batch), tileFloats = tiling.maxTileRows * patch
        // Input gradient of tile t on part p: dCol (rows, KH*KW*C) = dZ (rows, O) * W^T (O, KH*KW*C)
        // into the part's buffer, then col2im while it is in cache. A sample's row blocks are all
        // on one part, in order: its first block clears the sample's dx, the others add to it.
        var inputGradient: ((Int, Int) -> Void)?
        let timer = TileTimer(tiles: tiling.tiles, clock: workers.clock)
        defer { timer.report(threads: min(workers.threads, tiling.parts)) }
        if let dx {
            // W^T once per step, so every tile's product is a plain NN product (the transposed
            // operand was re-packed by OpenBLAS on every call).
            let wt = kernelTransposed.reserve(patch * filters, initial: 0), w = kernel!
            for i in 0..<patch { for o in 0..<filters { wt[o &* patch &+ i] = w[i &* filters &+ o] } }
            let kernelT = UnsafePointer(wt), dz = UnsafePointer(dy)
            inputGradient = { p, t in
                let samples = tiling.samples(t), tileRows = tiling.batchRows(t), sampleRows = tiling.rows(t)
                let first = samples.lowerBound
                let target = c.map { $0 + p &* tileFloats } ?? dx + tileRows.lowerBound &* patch
                timer.time(t) {
                    GEMM.multiply(m: tileRows.count, n: patch, k: filters, a: dz + tileRows.lowerBound &* filters, lda: filters,
                                  b: kernelT, ldb: patch, c: target, ldc: patch)
                }
                guard c != nil else { return }
                for n in samples {
                    let d = dx + n &* g.inputCount
                    if sampleRows.lowerBound == 0 { d.update(repeating: 0, count: g.inputCount) }
                    Im2Col.unpack(g, target + (n &- first) &* sampleRows.count &* patch, d, rows: sampleRows)
                }
            }
        }
        if trainable {
            // dW (KH*KW*C, O) = col^T (KH*KW*C, rows) * dZ (rows, O), a sum over every output
            // pixel, tile by tile: each tile is re-packed from x into the part's buffer (x is
            // 1/9 the size of its im2col rows, so this beats keeping the batch's im2col matrix
            // and reading it back from memory), and its input gradient follows on the same thread.
            ParallelGEMM.weightGradient(
                m: patch, n: filters, chunks: tiling.tiles, parts: tiling.parts,
                chunksOfPart: { tiling.tiles(ofPart: $0) }, chunkRows: { tiling.batchRows($0) },
                b: dy, c: kernelGrad, partials: &gradientPartials, workers: workers,
                chunkA: { p, t in Self.tileColumns(g, tiling, t, part: p, x: x, buffer: c) },
                afterChunk: inputGradient)
        } else if let inputGradient {
            workers.run(tiling.parts) { p in for t in tiling.tiles(ofPart: p) { inputGradient(p, t) } }
        }
    }
}
