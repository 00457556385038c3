import DataPrep
import Foundation
import Testing
@testable import Train

/// The engine's own loops (CKernels) at every instruction-set level this CPU can run give the
/// same bits as the baseline (SSE2) level: Winograd transforms, bias + activation, dropout,
/// Adam, alone and in a full training run. On an AVX-512 machine this runs all three levels.
@Suite struct KernelISATests {
    static let levels = KernelISA.available

    static func bits(_ a: [Float]) -> [UInt32] { a.map(\.bitPattern) }

    @Test func resolvesTheEnvironmentOverride() {
        #expect(KernelISA.resolve(nil, supported: .avx512) == .avx512)
        #expect(KernelISA.resolve("", supported: .avx2) == .avx2)
        #expect(KernelISA.resolve("baseline", supported: .avx512) == .baseline)
        #expect(KernelISA.resolve("AVX2", supported: .avx512) == .avx2)
        #expect(KernelISA.resolve("avx512", supported: .avx2) == .avx2, "a level the CPU lacks is lowered")
        #expect(KernelISA.resolve("sse9", supported: .avx2) == .avx2, "unknown names keep the CPU's level")
        #expect(KernelISA.host <= KernelISA.supported)
        #expect(KernelTuning.host.isa == KernelISA.host)
        print("KernelISA: supported \(KernelISA.supported), host \(KernelISA.host), testing \(Self.levels)")
    }

    /// Winograd forward, input and weight gradients with ReLU, every level, all of
    /// WinogradTests' shapes (1, 3, 16, 19, 64 channels: the 16-, 8-, 4- and 1-float lanes).
    @Test(arguments: WinogradTests.cases)
    func winogradIsBitIdenticalAtEveryLevel(_ cc: WinogradTests.Case) throws {
        func run(_ isa: KernelISA) throws -> WinogradTests.Results {
            var t = WinogradTests.tuning()
            t.isa = isa
            return try WinogradTests.results(cc, threads: 1, tuning: t)
        }
        let base = try run(.baseline)
        for isa in Self.levels where isa != .baseline {
            let r = try run(isa)
            #expect(Self.bits(r.y) == Self.bits(base.y), "forward \(isa) \(cc)")
            #expect(Self.bits(r.dx) == Self.bits(base.dx), "dx \(isa) \(cc)")
            #expect(Self.bits(r.dW) == Self.bits(base.dW), "dW \(isa) \(cc)")
            #expect(Self.bits(r.db) == Self.bits(base.db), "db \(isa) \(cc)")
        }
    }

    /// Bias + activation forward and ReLU backward against the scalar formulas, NaN, -0 and odd
    /// lengths (tails of every vector width) included.
    @Test func activationsMatchTheScalarFormulas() {
        let rows = 5, cols = 37
        var random = TestRandom(3)
        var y0 = random.floats(rows * cols, -2, 2)
        y0[3] = .nan; y0[4] = -0.0; y0[40] = 0
        let bias = random.floats(cols)
        let dy0 = random.floats(rows * cols)
        for isa in Self.levels {
            var y = y0
            y.withUnsafeMutableBufferPointer { p in
                bias.withUnsafeBufferPointer { Activation.forwardRows(.relu, p.baseAddress!, rows: rows, cols: cols, bias: $0.baseAddress!, isa: isa) }
            }
            let expectBiasRelu = y0.indices.map { i -> Float in let v = y0[i] + bias[i % cols]; return v > 0 ? v : 0 }
            #expect(Self.bits(y) == Self.bits(expectBiasRelu), "bias + relu \(isa)")
            y = y0
            y.withUnsafeMutableBufferPointer { p in
                bias.withUnsafeBufferPointer { Activation.forwardRows(.linear, p.baseAddress!, rows: rows, cols: cols, bias: $0.baseAddress!, isa: isa) }
            }
            #expect(Self.bits(y) == Self.bits(y0.indices.map { y0[$0] + bias[$0 % cols] }), "bias \(isa)")
            y = y0
            y.withUnsafeMutableBufferPointer { Activation.forwardRows(.relu, $0.baseAddress!, rows: rows, cols: cols, bias: nil, isa: isa) }
            #expect(Self.bits(y) == Self.bits(y0.map { max($0, 0) }), "relu \(isa) (Swift's max: NaN stays NaN)")
            var dy = dy0
            y0.withUnsafeBufferPointer { yp in
                dy.withUnsafeMutableBufferPointer { Activation.backwardRows(.relu, yp.baseAddress!, $0.baseAddress!, rows: rows, cols: cols, isa: isa) }
            }
            #expect(Self.bits(dy) == Self.bits(y0.indices.map { y0[$0] > 0 ? dy0[$0] : 0 }), "relu backward \(isa)")
        }
    }

    /// Column sums (bias gradients), plain and masked by ReLU's backward, at every level: 75
    /// columns exercise blocks of four vectors, shorter blocks and the scalar tail.
    @Test func columnSumsAreBitIdenticalAtEveryLevel() {
        let rows = 301, cols = 75
        var random = TestRandom(21)
        let m0 = random.floats(rows * cols), y = random.floats(rows * cols)
        func sums(_ isa: KernelISA, relu: Bool) -> (sums: [Float], masked: [Float]) {
            var m = m0, out = [Float](repeating: .nan, count: cols), partials = Workspace<Float>()
            defer { partials.free() }
            m.withUnsafeMutableBufferPointer { mp in
                out.withUnsafeMutableBufferPointer { op in
                    if relu {
                        y.withUnsafeBufferPointer {
                            reluBackwardColumnSums($0.baseAddress!, mp.baseAddress!, rows: rows, cols: cols, into: op.baseAddress!,
                                                   partials: &partials, workers: Workers(threads: 1, isa: isa))
                        }
                    } else {
                        columnSums(mp.baseAddress!, rows: rows, cols: cols, into: op.baseAddress!, partials: &partials,
                                   workers: Workers(threads: 1, isa: isa))
                    }
                }
            }
            return (out, m)
        }
        for relu in [false, true] {
            let base = sums(.baseline, relu: relu)
            let masked = relu ? m0.indices.map { y[$0] > 0 ? m0[$0] : 0 } : m0
            #expect(Self.bits(base.masked) == Self.bits(masked), "mask, relu \(relu)")
            let exact = (0..<cols).map { c in (0..<rows).reduce(0.0) { $0 + Double(masked[$1 * cols + c]) } }
            #expect(zip(base.sums, exact).allSatisfy { abs(Double($0) - $1) < 1e-4 }, "sums, relu \(relu)")
            for isa in Self.levels where isa != .baseline {
                let r = sums(isa, relu: relu)
                #expect(Self.bits(r.sums) == Self.bits(base.sums) && Self.bits(r.masked) == Self.bits(base.masked), "\(isa), relu \(relu)")
            }
        }
    }

    /// Max pooling with overlapping, clipped windows (3x3 stride 2, same padding, odd size; the
    /// general backward), tied maxima, every level against the scan-order reference.
    @Test func maxPoolingWithOverlapsMatchesTheReferenceAtEveryLevel() {
        let g = ConvGeometry(height: 7, width: 9, channels: 37, kernel: (3, 3), stride: (2, 2), padding: .same)!
        #expect(!Pooling.windowsTile(g))
        var random = TestRandom(31)
        let x = random.floats(g.inputCount).map { ($0 * 1.5 + 1.5).rounded(.down) }
        let outCount = g.outHeight * g.outWidth * g.channels
        let dy = random.floats(outCount)
        var peaks = [Float](repeating: 0, count: outCount), expected = [Float](repeating: 0, count: g.inputCount)
        for oy in 0..<g.outHeight {
            for ox in 0..<g.outWidth {
                let (y0, y1, x0, x1) = Pooling.window(g, oy, ox)
                for c in 0..<g.channels {
                    var best = -Float.infinity, at = -1
                    for iy in y0..<y1 { for ix in x0..<x1 { let i = (iy * g.width + ix) * g.channels + c; if x[i] > best { best = x[i]; at = i } } }
                    let o = (oy * g.outWidth + ox) * g.channels + c
                    peaks[o] = best
                    expected[at] += dy[o]
                }
            }
        }
        for isa in Self.levels {
            let (y, dx) = MaxPoolTiledTests.run(g, x: x, dy: dy, isa: isa)
            #expect(Self.bits(y) == Self.bits(peaks), "forward \(isa)")
            #expect(Self.bits(dx) == Self.bits(expected), "backward \(isa)")
        }
    }

    /// Dropout masks are `DropoutHash.bits` (the Swift reference) at every level.
    @Test func dropoutMasksMatchTheReferenceHash() {
        let size = 1_003, rate: Float = 0.3, scale = 1 / (1 - rate)
        let threshold = UInt32(Double(rate) * 4_294_967_296)
        var random = TestRandom(5)
        let x = random.floats(size)
        for isa in Self.levels {
            let net = try! Network(spec: ModelSpec(layers: [.dropout(DropoutSpec(rate: rate))]), input: TensorShape(features: size), seed: 1,
                                   tuning: { var t = KernelTuning.host; t.isa = isa; return t }())
            let y = net.run(x, batch: 1, mode: .training, seed: 9, step: 4)
            var generator = SeededGenerator(seed: 9, stream: StreamPurpose.dropout, epoch: 4, index: 0 << 24 | 0)
            let key = generator.next()
            let k0 = UInt32(truncatingIfNeeded: key), k1 = UInt32(truncatingIfNeeded: key >> 32)
            let expected = (0..<size).map { i -> Float in x[i] * (DropoutHash.bits(k0, k1, UInt32(i)) < threshold ? 0 : scale) }
            #expect(Self.bits(y) == Self.bits(expected), "dropout \(isa)")
        }
    }

    /// Adam over an odd number of parameters, ten steps, every level against Keras's formula.
    @Test func adamMatchesTheScalarFormula() throws {
        let count = 1_001
        var random = TestRandom(11)
        let w0 = random.floats(count)
        let grads = (0..<3).map { _ in random.floats(count) }
        let config = OptimizerConfig(kind: .adam, learningRate: 0.01)
        var results: [[Float]] = []
        for isa in Self.levels {
            let net = try Network(spec: ModelSpec(layers: [.dense(DenseSpec(units: count, activation: .linear))]), input: TensorShape(features: 1), seed: 1)
            net.setValues("layers.0.dense.kernel", w0)
            let optimizer = Optimizer(config: config, parameterCount: net.parameters.count)
            let t = net.parameters.tensor(named: "layers.0.dense.kernel")!
            for step in 0..<10 {
                grads[step % 3].withUnsafeBufferPointer { (net.parameters.gradients + t.offset).update(from: $0.baseAddress!, count: count) }
                optimizer.step(net.parameters, learningRate: 0.01, isa: isa)
            }
            results.append(net.values("layers.0.dense.kernel"))
        }
        // The scalar formula (Keras: m += (g - m)(1 - b1), v += (g^2 - v)(1 - b2),
        // w -= lr sqrt(1 - b2^t) / (1 - b1^t) m / (sqrt(v) + eps)).
        var w = w0, m = [Float](repeating: 0, count: count), v = m
        let b1 = config.beta1, b2 = config.beta2, eps = config.epsilon
        for step in 0..<10 {
            let t = Float(step + 1), alpha = 0.01 * (1 - powf(b2, t)).squareRoot() / (1 - powf(b1, t))
            for i in 0..<count {
                let g = grads[step % 3][i]
                m[i] = m[i] + (g - m[i]) * (1 - b1)
                v[i] = v[i] + (g * g - v[i]) * (1 - b2)
                w[i] = w[i] - alpha * m[i] / (v[i].squareRoot() + eps)
            }
        }
        for (isa, r) in zip(Self.levels, results) { #expect(Self.bits(r) == Self.bits(w), "adam \(isa)") }
    }

    /// Same seed, every level, 1 and 2 threads: the same weights after a few Adam steps of a
    /// CNN with Winograd and im2col convolutions, pooling, dropout and softmax.
    @Test func trainingGivesTheSameWeightsAtEveryLevel() throws {
        let spec = ModelSpec(layers: [.conv(Conv2DSpec(filters: 16, kernel: 3, padding: .same, activation: .relu)),
                                      .conv(Conv2DSpec(filters: 16, kernel: 3, activation: .relu)), .maxpool(PoolSpec(window: 2)),
                                      .dropout(DropoutSpec(rate: 0.25)), .flatten(FlattenSpec()), .dense(DenseSpec(units: 24, activation: .relu)),
                                      .dropout(DropoutSpec(rate: 0.5)), .dense(DenseSpec(units: 3, activation: .softmax))])
        let input = TensorShape(height: 10, width: 10, channels: 3)
        func train(_ isa: KernelISA, threads: Int) throws -> [Float] {
            var tuning = KernelTuning(caches: CPUCaches(l1Data: 32 << 10, l2: 1 << 20), processors: 2)
            tuning.isa = isa
            tuning.convolutions = .winograd
            tuning.winogradBlockFloats = 2048
            let net = try Network(spec: spec, input: input, seed: 3, threads: threads, tuning: tuning)
            let trainer = try Trainer(network: net, config: TrainingConfig(epochs: 1, batchSize: 6, optimizer: OptimizerConfig(kind: .adam),
                                                                           seed: 3, loss: .sparseCategoricalCrossEntropy))
            var batch = Batch(capacity: 6, height: 10, width: 10, channels: 3)
            var random = TestRandom(17)
            for step in 0..<4 {
                let pixels = random.floats(batch.images.count)
                for i in pixels.indices { batch.images[i] = pixels[i] }
                for i in 0..<6 { batch.labels[i] = Int32((i + step) % 3) }
                batch.count = 6
                _ = try trainer.trainStep(batch, learningRate: 0.01)
            }
            return Array(UnsafeBufferPointer(start: net.parameters.values, count: net.parameters.count))
        }
        let base = try train(.baseline, threads: 1)
        for isa in Self.levels {
            for threads in [1, 2] where !(isa == .baseline && threads == 1) {
                #expect(Self.bits(try train(isa, threads: threads)) == Self.bits(base), "\(isa), \(threads) threads")
            }
        }
    }
}
