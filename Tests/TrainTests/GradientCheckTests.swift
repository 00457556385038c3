import Testing
@testable import Train

/// Finite-difference checks of every layer, loss and regularizer: the analytic gradient of a
/// scalar objective must match central differences of the float forward pass.
@Suite struct GradientCheckTests {
    /// Objective L = sum(r * y) of the network output y; returns max relative error over the
    /// input and a sample of parameter coordinates.
    func check(_ specText: String, input: TensorShape, batch: Int = 2, h: Float = 1e-2, seed: UInt64 = 1,
               inputs: [Float]? = nil) throws -> Float {
        let net = try Network(spec: ModelSpec(parsing: specText), input: input, seed: seed)
        var random = TestRandom(seed + 100)
        let x = inputs ?? random.floats(batch * input.count)
        let r = random.floats(batch * net.outputShape.count)
        func objective(_ x: [Float]) -> Double {
            zip(net.run(x, batch: batch, mode: .training), r).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        }
        let dx = net.gradients(x, batch: batch, dOutput: r)
        let grads = net.parameters.tensors.filter(\.trainable).map { ($0, net.gradient($0.name)) }
        var worst: Float = 0
        func compare(_ analytic: Float, _ numeric: Double) {
            worst = max(worst, abs(analytic - Float(numeric)) / max(1, abs(Float(numeric))))
        }
        for i in stride(from: 0, to: x.count, by: max(1, x.count / 40)) {
            var plus = x, minus = x
            plus[i] += h; minus[i] -= h
            compare(dx[i], (objective(plus) - objective(minus)) / Double(2 * h))
        }
        for (tensor, g) in grads {
            for i in stride(from: 0, to: tensor.count, by: max(1, tensor.count / 20)) {
                let p = net.parameters.values + tensor.offset + i, saved = p.pointee
                p.pointee = saved + h; let lp = objective(x)
                p.pointee = saved - h; let lm = objective(x)
                p.pointee = saved
                compare(g[i], (lp - lm) / Double(2 * h))
            }
        }
        return worst
    }

    @Test(arguments: ["conv 3 3 same", "conv 2 3 valid", "conv 2 3 stride 2 same", "conv 3 2x3 stride 2 valid",
                      "conv 2 1", "conv 2 3 same tanh", "conv 2 3 same sigmoid"])
    func convolution(spec: String) throws {
        #expect(try check(spec, input: TensorShape(height: 5, width: 6, channels: 2)) < 2e-2, "\(spec)")
    }

    @Test(arguments: ["flatten, dense 4", "flatten, dense 3 tanh", "flatten, dense 3 sigmoid", "flatten, dense 4 softmax",
                      "flatten, dense 5 relu", "softmax", "tanh"])
    func denseAndActivations(spec: String) throws {
        #expect(try check(spec, input: TensorShape(height: 2, width: 2, channels: 3)) < 2e-2, "\(spec)")
    }

    @Test(arguments: ["maxpool 2", "maxpool 3 stride 2 same", "avgpool 2", "avgpool 3 stride 2 same"])
    func pooling(spec: String) throws {
        // Distinct values at least 0.05 apart, so a ±0.01 step never changes a window's maximum.
        let count = 2 * 5 * 5 * 2
        var order = SeededGeneratorTestShim.permutation(count, seed: 9)
        order = order.map { $0 }
        let x = order.map { Float($0) * 0.05 - 2 }
        #expect(try check(spec, input: TensorShape(height: 5, width: 5, channels: 2), inputs: x) < 2e-2, "\(spec)")
    }

    @Test func batchNormTrainingMode() throws {
        #expect(try check("batchnorm", input: TensorShape(height: 2, width: 2, channels: 3), batch: 3, h: 1e-2) < 3e-2)
        #expect(try check("flatten, dense 4, batchnorm, dense 2", input: TensorShape(features: 3), batch: 4) < 3e-2)
    }

    @Test func dropoutWithFixedMask() throws {
        // Same seed and step: the mask is identical in every forward pass.
        #expect(try check("dropout 0.5, flatten, dense 3", input: TensorShape(height: 3, width: 3, channels: 2)) < 2e-2)
    }

    /// Fused losses: the gradient w.r.t. the logits of a softmax/sigmoid head.
    @Test(arguments: Loss.allCases)
    func losses(loss: Loss) throws {
        let classes = loss == .binaryCrossEntropy ? 1 : 4
        let act: Activation = loss == .binaryCrossEntropy ? .sigmoid : .softmax
        let net = try Network(spec: ModelSpec(parsing: "flatten, dense \(classes) \(act.rawValue)"),
                              input: TensorShape(features: 5), seed: 3)
        var random = TestRandom(7)
        let batch = 3, x = random.floats(batch * 5)
        let labels: [Int32] = loss == .binaryCrossEntropy ? [1, 0, 1] : [2, 0, 3]
        var targets = [Float](repeating: 0, count: batch * classes)
        if loss == .categoricalCrossEntropy { for i in 0..<batch { targets[i * classes + Int(labels[i])] = 1 } }
        func value(withGradient: Bool) -> Double {
            let out = net.run(x, batch: batch, mode: .training)
            return out.withUnsafeBufferPointer { o in
                labels.withUnsafeBufferPointer { l in
                    targets.withUnsafeBufferPointer { t in
                        loss.evaluate(output: o.baseAddress!, batch: batch, classes: classes, labels: l.baseAddress!,
                                      targets: t.baseAddress!, gradient: withGradient ? net.outputGradient : nil)
                    }
                }
            }
        }
        _ = value(withGradient: true)
        let dz = Array(UnsafeBufferPointer(start: net.outputGradient, count: batch * classes))
        _ = net.gradients(x, batch: batch, dOutput: dz, fused: true)
        let kernel = net.parameters.tensor(named: "layers.1.dense.kernel")!
        let analytic = net.gradient(kernel.name)
        for i in 0..<kernel.count {
            let p = net.parameters.values + kernel.offset + i, saved = p.pointee
            p.pointee = saved + 1e-2; let lp = value(withGradient: false)
            p.pointee = saved - 1e-2; let lm = value(withGradient: false)
            p.pointee = saved
            let numeric = Float((lp - lm) / 2e-2)
            #expect(abs(analytic[i] - numeric) < 2e-3, "\(loss) kernel[\(i)]: \(analytic[i]) vs \(numeric)")
        }
    }

    @Test func regularizersMatchKerasPenalty() throws {
        let net = try Network(spec: ModelSpec(parsing: "flatten, dense 3 l1=0.01 l2=0.02"), input: TensorShape(features: 4), seed: 5)
        let w = net.values("layers.1.dense.kernel")
        let expected = w.reduce(0.0) { $0 + 0.01 * Double(abs($1)) + 0.02 * Double($1 * $1) }
        #expect(abs(Regularization.penalty(net.parameters) - expected) < 1e-6)
        net.parameters.gradients.update(repeating: 0, count: net.parameters.count)
        Regularization.addGradients(net.parameters)
        let kernel = net.parameters.tensor(named: "layers.1.dense.kernel")!
        for i in 0..<kernel.count {
            let p = net.parameters.values + kernel.offset + i, saved = p.pointee
            p.pointee = saved + 1e-3; let lp = Regularization.penalty(net.parameters)
            p.pointee = saved - 1e-3; let lm = Regularization.penalty(net.parameters)
            p.pointee = saved
            #expect(abs(net.parameters.gradients[kernel.offset + i] - Float((lp - lm) / 2e-3)) < 1e-3)
        }
        // Biases are not regularized.
        #expect(net.gradient("layers.1.dense.bias").allSatisfy { $0 == 0 })
    }
}

import DataPrep
enum SeededGeneratorTestShim {
    static func permutation(_ n: Int, seed: UInt64) -> [Int] {
        var g = SeededGenerator(seed: seed)
        return g.permutation(n)
    }
}
