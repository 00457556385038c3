import DataPrep
import Testing
@testable import Train

/// Winograd F(2x2, 3x3) convolutions (forward, input gradient, weight gradient) against the
/// naive reference kernels, across thread counts (bit-identical), and the shape rule.
@Suite struct WinogradTests {
    struct Case: CustomStringConvertible, Sendable {
        var h, w, c, filters: Int
        var padding: Padding
        var batch: Int
        var description: String { "\(h)x\(w)x\(c) \(padding) f\(filters) n\(batch)" }
    }

    /// Odd and even sizes (half-used last tile rows/columns), same and valid, channel and filter
    /// counts below, at and above the 8-float lanes.
    static let cases = [
        Case(h: 7, w: 9, c: 1, filters: 4, padding: .same, batch: 1),
        Case(h: 6, w: 5, c: 3, filters: 5, padding: .valid, batch: 2),
        Case(h: 9, w: 7, c: 16, filters: 8, padding: .same, batch: 3),
        Case(h: 11, w: 13, c: 16, filters: 24, padding: .valid, batch: 4),
        Case(h: 8, w: 8, c: 64, filters: 16, padding: .valid, batch: 5),
        Case(h: 5, w: 6, c: 64, filters: 33, padding: .same, batch: 2),
        Case(h: 3, w: 3, c: 19, filters: 7, padding: .valid, batch: 3),
    ]

    /// Winograd forced on, blocks of 2,048 floats (so larger cases are cut into runs of one
    /// sample's tiles and into several parts), whatever CPU runs the tests.
    static func tuning(_ choice: ConvAlgorithmChoice = .winograd) -> KernelTuning {
        var t = KernelTuning(caches: CPUCaches(l1Data: 32 << 10, l2: 1 << 20), processors: 2)
        t.convolutions = choice
        t.winogradBlockFloats = 2048
        return t
    }

    struct Results { var y, dx, dW, db, kernel, bias, x, dz: [Float] }

    static func results(_ cc: Case, threads: Int, tuning: KernelTuning = tuning()) throws -> Results {
        let input = TensorShape(height: cc.h, width: cc.w, channels: cc.c)
        let net = try Network(spec: ModelSpec(layers: [.conv(Conv2DSpec(filters: cc.filters, kernel: 3, padding: cc.padding))]), input: input, seed: 7,
                              threads: threads, tuning: tuning)
        #expect(((net.layers[0] as? Conv2DLayer)?.winograd != nil) == (tuning.convolutions == .winograd), "path \(cc)")
        var random = TestRandom(UInt64(cc.h * 1000 + cc.c * 10 + cc.batch))
        let x = random.floats(cc.batch * input.count)
        net.setValues("layers.0.conv.bias", random.floats(cc.filters))
        let y = net.run(x, batch: cc.batch)
        let dz = random.floats(y.count)
        let dx = net.gradients(x, batch: cc.batch, dOutput: dz)
        return Results(y: y, dx: dx, dW: net.gradient("layers.0.conv.kernel"), db: net.gradient("layers.0.conv.bias"),
                       kernel: net.values("layers.0.conv.kernel"), bias: net.values("layers.0.conv.bias"), x: x, dz: dz)
    }

    /// Max relative error (|a - b| / max(1, |b|)) against the Double-accumulating reference:
    /// bound 1e-4, the bound the im2col path is held to; measured ≤ 3e-6 on these cases.
    @Test(arguments: cases)
    func matchesReference(_ cc: Case) throws {
        let r = try Self.results(cc, threads: 1)
        let g = ConvGeometry(height: cc.h, width: cc.w, channels: cc.c, kernel: (3, 3), stride: (1, 1), padding: cc.padding)!
        let z = Reference.convForward(g, batch: cc.batch, x: r.x, kernel: r.kernel, bias: r.bias, filters: cc.filters)
        let ref = Reference.convBackward(g, batch: cc.batch, x: r.x, kernel: r.kernel, dz: r.dz, filters: cc.filters)
        let errors = [maxRelativeError(r.y, z), maxRelativeError(r.dx, ref.dx), maxRelativeError(r.dW, ref.dKernel),
                      maxRelativeError(r.db, ref.dBias)]
        print("Winograd \(cc): max relative error forward \(errors[0]), dx \(errors[1]), dW \(errors[2])")
        #expect(errors[0] < 1e-4, "forward \(cc)")
        #expect(errors[1] < 1e-4, "dx \(cc)")
        #expect(errors[2] < 1e-4, "dW \(cc)")
        #expect(errors[3] < 1e-4, "db \(cc)")
    }

    @Test(arguments: [cases[3], cases[4], cases[5]])
    func bitIdenticalForAnyThreadCount(_ cc: Case) throws {
        let tiling = WinogradConvolution(geometry: ConvGeometry(height: cc.h, width: cc.w, channels: cc.c, kernel: (3, 3), stride: (1, 1),
                                                                padding: cc.padding)!,
                                         filters: cc.filters, tuning: Self.tuning()).tiling(batch: cc.batch)
        #expect(tiling.parts >= 2, "the case must be cut into several parts")
        let one = try Self.results(cc, threads: 1)
        for threads in [2, 3] {
            let other = try Self.results(cc, threads: threads)
            #expect(one.y.map(\.bitPattern) == other.y.map(\.bitPattern), "forward 1 vs \(threads) threads")
            #expect(one.dx.map(\.bitPattern) == other.dx.map(\.bitPattern), "dx 1 vs \(threads) threads")
            #expect(one.dW.map(\.bitPattern) == other.dW.map(\.bitPattern), "dW 1 vs \(threads) threads")
            #expect(one.db.map(\.bitPattern) == other.db.map(\.bitPattern), "db 1 vs \(threads) threads")
        }
    }

    /// SGD steps of a network whose first convolution (no input gradient) and second run on
    /// Winograd, against the same steps on im2col: weights agree to 1e-5 (measured ≤ 3e-8);
    /// a frozen Winograd layer keeps its kernel bit-identical while the layer below it learns.
    @Test(arguments: [false, true])
    func trainingStepsMatchIm2col(freezeSecond: Bool) throws {
        let input = TensorShape(height: 9, width: 8, channels: 16)
        let spec = try ModelSpec(parsing: "conv 16 3 same relu, conv 24 3 valid relu, flatten, dense 3 softmax")
        func train(_ choice: ConvAlgorithmChoice) throws -> Network {
            let net = try Network(spec: spec, input: input, seed: 3, threads: 2, tuning: Self.tuning(choice))
            if freezeSecond { net.setTrainable(layer: 1, false) }
            let trainer = try Trainer(network: net, config: TrainingConfig(epochs: 1, batchSize: 5,
                                                                           optimizer: OptimizerConfig(kind: .sgd, learningRate: 0.05),
                                                                           seed: 5, loss: .sparseCategoricalCrossEntropy))
            for step in 0..<3 {
                var b = Batch(capacity: 5, height: input.height, width: input.width, channels: input.channels)
                var random = TestRandom(UInt64(step))
                let values = random.floats(b.images.count)
                for i in b.images.indices { b.images[i] = values[i] }
                for i in 0..<5 { b.labels[i] = Int32(i % 3) }
                b.count = 5
                _ = try trainer.trainStep(b, learningRate: 0.05)
            }
            return net
        }
        let fast = try train(.winograd), reference = try train(.im2col)
        let initial = try Network(spec: spec, input: input, seed: 3)
        for name in ["layers.0.conv.kernel", "layers.1.conv.kernel", "layers.3.dense.kernel"] {
            let error = maxRelativeError(fast.values(name), reference.values(name))
            print("Winograd vs im2col after 3 SGD steps, \(name): max relative difference \(error)")
            #expect(error < 1e-5, "\(name)")
        }
        #expect(fast.values("layers.0.conv.kernel") != initial.values("layers.0.conv.kernel"))
        #expect((fast.values("layers.1.conv.kernel") == initial.values("layers.1.conv.kernel")) == freezeSecond)
    }

    @Test func blocksCutSamplesIntoRunsOfTiles() {
        // 11x13 valid: 9x11 outputs, 5x6 = 30 tiles per sample, 16 x (16 + 24) = 640 floats per
        // tile: 2,048-float blocks hold 3 tiles, so each sample is 10 blocks of 3 tiles.
        let g = ConvGeometry(height: 11, width: 13, channels: 16, kernel: (3, 3), stride: (1, 1), padding: .valid)!
        let t = WinogradConvolution(geometry: g, filters: 24, tuning: Self.tuning()).tiling(batch: 4)
        #expect(t.rowsPerSample == 30 && t.rowBlocks == 10 && t.maxTileRows == 3 && t.tiles == 40 && t.parts == 4)
    }

    @Test func shapeRule() {
        func uses(_ h: Int, _ c: Int, _ f: Int, stride: Int = 1, kernel: Int = 3, _ choice: ConvAlgorithmChoice = .byShape) -> Bool {
            let g = ConvGeometry(height: h, width: h, channels: c, kernel: (kernel, kernel), stride: (stride, stride), padding: .same)!
            return ConvAlgorithm.usesWinograd(g, filters: f, choice: choice)
        }
        #expect(!uses(32, 3, 32) && !uses(28, 1, 32))      // first convolutions stay on im2col
        #expect(uses(30, 32, 32) && uses(15, 64, 64))
        // Outputs of 3x3 keep 9 of the 16 pixels their 2x2 tiles compute; 5x5 keep 25 of 36.
        #expect(!uses(3, 128, 64) && uses(5, 128, 128) && uses(7, 64, 128))
        #expect(!uses(30, 32, 32, stride: 2) && !uses(30, 32, 32, kernel: 5))
        #expect(!uses(30, 32, 32, .im2col) && uses(28, 1, 32, .winograd))
    }
}
