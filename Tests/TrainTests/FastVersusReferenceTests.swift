import Testing
@testable import Train

/// Every fast layer against its naive twin in `Reference`, on random shapes.
@Suite struct FastVersusReferenceTests {
    struct ConvCase: CustomStringConvertible, Sendable {
        var h, w, c, filters, kh, kw, stride: Int
        var padding: Padding
        var batch: Int
        var description: String { "\(h)x\(w)x\(c) k\(kh)x\(kw) s\(stride) \(padding) f\(filters) n\(batch)" }
    }

    static let convCases: [ConvCase] = [
        ConvCase(h: 7, w: 6, c: 3, filters: 5, kh: 3, kw: 3, stride: 1, padding: .same, batch: 3),
        ConvCase(h: 8, w: 8, c: 2, filters: 4, kh: 3, kw: 3, stride: 2, padding: .same, batch: 2),
        ConvCase(h: 9, w: 7, c: 1, filters: 3, kh: 5, kw: 3, stride: 2, padding: .valid, batch: 2),
        ConvCase(h: 5, w: 5, c: 4, filters: 6, kh: 1, kw: 1, stride: 1, padding: .valid, batch: 4),
        ConvCase(h: 6, w: 9, c: 2, filters: 3, kh: 2, kw: 4, stride: 3, padding: .same, batch: 2),
        // Large enough that the products are cut into blocks and run on two threads.
        ConvCase(h: 16, w: 16, c: 8, filters: 70, kh: 3, kw: 3, stride: 1, padding: .same, batch: 4),
        // A long reduction (12 x 38 x 38 output pixels): the weight gradient is split over k.
        ConvCase(h: 40, w: 40, c: 1, filters: 8, kh: 3, kw: 3, stride: 1, padding: .valid, batch: 12),
    ]

    @Test(arguments: convCases, [1, 2])
    func convolution(_ cc: ConvCase, threads: Int) throws {
        let spec = LayerSpec.conv(Conv2DSpec(filters: cc.filters, kernel: SpatialSize(cc.kh, cc.kw),
                                             stride: SpatialSize(cc.stride, cc.stride), padding: cc.padding))
        let input = TensorShape(height: cc.h, width: cc.w, channels: cc.c)
        let net = try Network(spec: ModelSpec(layers: [spec]), input: input, seed: 11, threads: threads)
        var random = TestRandom(UInt64(cc.h * 100 + cc.kw))
        let x = random.floats(cc.batch * input.count)
        net.setValues("layers.0.conv.bias", random.floats(cc.filters))
        let kernel = net.values("layers.0.conv.kernel"), bias = net.values("layers.0.conv.bias")
        let g = ConvGeometry(height: cc.h, width: cc.w, channels: cc.c, kernel: (cc.kh, cc.kw),
                             stride: (cc.stride, cc.stride), padding: cc.padding)!
        let expected = Reference.convForward(g, batch: cc.batch, x: x, kernel: kernel, bias: bias, filters: cc.filters)
        #expect(maxRelativeError(net.run(x, batch: cc.batch), expected) < 1e-4, "\(cc)")

        let dz = random.floats(expected.count)
        let dx = net.gradients(x, batch: cc.batch, dOutput: dz)
        let ref = Reference.convBackward(g, batch: cc.batch, x: x, kernel: kernel, dz: dz, filters: cc.filters)
        #expect(maxRelativeError(dx, ref.dx) < 1e-4, "dx \(cc)")
        #expect(maxRelativeError(net.gradient("layers.0.conv.kernel"), ref.dKernel) < 1e-4, "dW \(cc)")
        #expect(maxRelativeError(net.gradient("layers.0.conv.bias"), ref.dBias) < 1e-4, "db \(cc)")
    }

    @Test(arguments: [(3, 7, 5), (130, 40, 70), (2, 300, 129)], [1, 2])
    func dense(_ shape: (batch: Int, inputs: Int, units: Int), threads: Int) throws {
        let net = try Network(spec: ModelSpec(layers: [.dense(DenseSpec(units: shape.units))]), input: TensorShape(features: shape.inputs),
                              seed: 2, threads: threads)
        var random = TestRandom(UInt64(shape.inputs))
        let x = random.floats(shape.batch * shape.inputs)
        net.setValues("layers.0.dense.bias", random.floats(shape.units))
        let kernel = net.values("layers.0.dense.kernel"), bias = net.values("layers.0.dense.bias")
        let expected = Reference.denseForward(batch: shape.batch, inputs: shape.inputs, x: x, kernel: kernel, bias: bias, units: shape.units)
        #expect(maxRelativeError(net.run(x, batch: shape.batch), expected) < 1e-4)
        let dz = random.floats(expected.count)
        let dx = net.gradients(x, batch: shape.batch, dOutput: dz)
        let ref = Reference.denseBackward(batch: shape.batch, inputs: shape.inputs, x: x, kernel: kernel, dz: dz, units: shape.units)
        #expect(maxRelativeError(dx, ref.dx) < 1e-4)
        #expect(maxRelativeError(net.gradient("layers.0.dense.kernel"), ref.dKernel) < 1e-4)
        #expect(maxRelativeError(net.gradient("layers.0.dense.bias"), ref.dBias) < 1e-4)
    }

    @Test(arguments: ["maxpool 2", "maxpool 3 stride 2 same", "maxpool 2 stride 1", "avgpool 2", "avgpool 3 stride 2 same", "avgpool 3 stride 2"])
    func pooling(_ text: String) throws {
        let spec = try ModelSpec(parsing: text)
        let input = TensorShape(height: 7, width: 6, channels: 3)
        let net = try Network(spec: spec, input: input, seed: 0, threads: 2)
        var random = TestRandom(5)
        let x = random.floats(3 * input.count)
        let l: PoolSpec
        switch spec.layers[0] {
        case .maxpool(let pool), .avgpool(let pool): l = pool
        default: Issue.record("\(text) is not a pooling layer"); return
        }
        let g = ConvGeometry(height: 7, width: 6, channels: 3, kernel: (l.window.height, l.window.width),
                             stride: (l.stride.height, l.stride.width), padding: l.padding)!
        let max = spec.layers[0].type == .maxpool
        #expect(maxRelativeError(net.run(x, batch: 3), Reference.pool(g, batch: 3, x: x, max: max)) < 1e-5)
    }

    @Test(arguments: Activation.allCases)
    func activations(_ act: Activation) throws {
        let net = try Network(spec: ModelSpec(layers: [.activation(ActivationSpec(act))]), input: TensorShape(height: 3, width: 2, channels: 5), seed: 0)
        var random = TestRandom(8)
        let x = random.floats(2 * 30, -4, 4)
        #expect(maxRelativeError(net.run(x, batch: 2), Reference.activate(act, x, cols: 5)) < 1e-5)
    }
}

/// Tiny cases with outputs worked out by hand.
@Suite struct ExactOutputTests {
    @Test func convolutionOfARamp() throws {
        // 3x3 input 1...9, 2x2 kernel of ones, valid: window sums 12, 16, 24, 28; plus bias 1.
        let net = try Network(spec: ModelSpec(parsing: "conv 1 2"), input: TensorShape(height: 3, width: 3, channels: 1), seed: 0)
        net.setValues("layers.0.conv.kernel", [1, 1, 1, 1])
        net.setValues("layers.0.conv.bias", [1])
        #expect(net.run((1...9).map(Float.init), batch: 1) == [13, 17, 25, 29])
    }

    @Test func samePaddingKeepsSizeAndPadsWithZeros() throws {
        // 3x3 kernel of ones over a 2x2 input of ones, same: every window sees all 4 pixels.
        let net = try Network(spec: ModelSpec(parsing: "conv 1 3 same"), input: TensorShape(height: 2, width: 2, channels: 1), seed: 0)
        net.setValues("layers.0.conv.kernel", Array(repeating: 1, count: 9))
        net.setValues("layers.0.conv.bias", [0])
        #expect(net.run([1, 1, 1, 1], batch: 1) == [4, 4, 4, 4])
    }

    @Test func maxAndAveragePool() throws {
        let x: [Float] = [1, 2, 5, 6,
                          3, 4, 7, 8,
                          9, 10, 13, 14,
                          11, 12, 15, 16]
        let shape = TensorShape(height: 4, width: 4, channels: 1)
        #expect(try Network(spec: ModelSpec(parsing: "maxpool 2"), input: shape, seed: 0).run(x, batch: 1) == [4, 8, 12, 16])
        #expect(try Network(spec: ModelSpec(parsing: "avgpool 2"), input: shape, seed: 0).run(x, batch: 1) == [2.5, 6.5, 10.5, 14.5])
        // Max-pool backward sends each gradient to its argmax.
        let net = try Network(spec: ModelSpec(parsing: "maxpool 2"), input: shape, seed: 0)
        let dx = net.gradients(x, batch: 1, dOutput: [1, 2, 3, 4])
        #expect(dx == [0, 0, 0, 0, 0, 1, 0, 2, 0, 0, 0, 0, 0, 3, 0, 4])
    }

    @Test func dropoutIsIdentityInInferenceAndScaledInTraining() throws {
        let net = try Network(spec: ModelSpec(parsing: "dropout 0.5"), input: TensorShape(features: 1000), seed: 0)
        let x = [Float](repeating: 1, count: 1000)
        #expect(net.run(x, batch: 1, mode: .inference) == x)
        let y = net.run(x, batch: 1, mode: .training, seed: 4, step: 0)
        #expect(y.allSatisfy { $0 == 0 || $0 == 2 })
        let kept = y.filter { $0 == 2 }.count
        #expect(kept > 430 && kept < 570)
        #expect(net.run(x, batch: 1, mode: .training, seed: 4, step: 0) == y)
        #expect(net.run(x, batch: 1, mode: .training, seed: 4, step: 1) != y)
    }

    @Test func batchNormInferenceUsesMovingStatistics() throws {
        let net = try Network(spec: ModelSpec(parsing: "batchnorm"), input: TensorShape(features: 2), seed: 0)
        net.setValues("layers.0.batchnorm.moving_mean", [1, 2])
        net.setValues("layers.0.batchnorm.moving_variance", [4, 0.999])
        let y = net.run([3, 3], batch: 1, mode: .inference)
        #expect(abs(y[0] - 2 / (4.001 as Float).squareRoot()) < 1e-6 && abs(y[1] - 1) < 1e-6)
        // One training step moves the statistics by (1 - 0.99) toward the batch's.
        _ = net.run([0, 0, 2, 2], batch: 2, mode: .training)
        #expect(abs(net.values("layers.0.batchnorm.moving_mean")[0] - (0.99 + 0.01)) < 1e-6)
        #expect(abs(net.values("layers.0.batchnorm.moving_variance")[0] - (4 * 0.99 + 0.01)) < 1e-5)
    }
}
