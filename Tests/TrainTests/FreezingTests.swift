import DataPrep
import Testing
@testable import Train

/// Frozen layers (Keras `trainable = False`): weights stay bit-identical through training
/// steps, and a frozen BatchNorm normalises by its moving statistics even in training mode.
@Suite struct FreezingTests {
    func batch(_ shape: TensorShape, count: Int, classes: Int, seed: UInt64) -> Batch {
        var b = Batch(capacity: count, height: shape.height, width: shape.width, channels: shape.channels)
        var random = TestRandom(seed)
        let values = random.floats(b.images.count)
        for i in b.images.indices { b.images[i] = values[i] }
        for i in 0..<count { b.labels[i] = Int32(i % classes) }
        b.count = count
        return b
    }

    func train(_ spec: String, input: TensorShape, steps: Int = 3, threads: Int = 1,
               prepare: (Network) -> Void = { _ in }) throws -> Network {
        let net = try Network(spec: ModelSpec(parsing: spec), input: input, seed: 3, threads: threads)
        prepare(net)
        let trainer = try Trainer(network: net, config: TrainingConfig(epochs: 1, batchSize: 8,
                                                                       optimizer: OptimizerConfig(kind: .adam, learningRate: 0.01),
                                                                       seed: 5, loss: .sparseCategoricalCrossEntropy))
        for s in 0..<steps { _ = try trainer.trainStep(batch(input, count: 8, classes: 3, seed: UInt64(s)), learningRate: 0.01) }
        return net
    }

    @Test func frozenBatchNormUsesMovingStatisticsInTrainingAndKeepsThem() throws {
        let net = try Network(spec: ModelSpec(parsing: "batchnorm frozen"), input: TensorShape(features: 2), seed: 0)
        net.setValues("layers.0.batchnorm.moving_mean", [1, 2])
        net.setValues("layers.0.batchnorm.moving_variance", [4, 0.999])
        let x: [Float] = [3, 3, 0, 5]
        let inference = net.run(x, batch: 2, mode: .inference)
        #expect(net.run(x, batch: 2, mode: .training) == inference)
        #expect(net.values("layers.0.batchnorm.moving_mean") == [1, 2])
        #expect(net.values("layers.0.batchnorm.moving_variance") == [4, 0.999])
        // Its input gradient is the affine map gamma / sqrt(var + eps) (gamma starts at 1).
        let dx = net.gradients(x, batch: 2, dOutput: [1, 1, 1, 1])
        #expect(abs(dx[0] - 1 / (4.001 as Float).squareRoot()) < 1e-6 && abs(dx[1] - 1) < 1e-6)
        // Unfrozen again, training mode uses the batch statistics and moves the moving ones.
        net.setTrainable(layer: 0, true)
        #expect(net.run(x, batch: 2, mode: .training) != inference)
        #expect(net.values("layers.0.batchnorm.moving_mean") != [1, 2])
    }

    @Test func frozenLayersStayBitIdenticalThroughTraining() throws {
        let input = TensorShape(height: 8, width: 8, channels: 2)
        let spec = "conv 4 3 same relu frozen, batchnorm frozen, maxpool 2, flatten, dense 6 relu, dense 3 softmax"
        let fresh = try Network(spec: ModelSpec(parsing: spec), input: input, seed: 3)
        fresh.setValues("layers.1.batchnorm.moving_mean", [0.1, 0.2, 0.3, 0.4])
        let net = try train(spec, input: input) { $0.setValues("layers.1.batchnorm.moving_mean", [0.1, 0.2, 0.3, 0.4]) }
        for name in ["layers.0.conv.kernel", "layers.0.conv.bias", "layers.1.batchnorm.gamma", "layers.1.batchnorm.beta",
                     "layers.1.batchnorm.moving_mean", "layers.1.batchnorm.moving_variance"] {
            #expect(net.values(name) == fresh.values(name), "\(name)")
        }
        #expect(net.values("layers.4.dense.kernel") != fresh.values("layers.4.dense.kernel"))
        #expect(net.values("layers.5.dense.bias") != fresh.values("layers.5.dense.bias"))
    }

    @Test func freezingMidwaySkipsTheOptimizerForThatLayer() throws {
        let input = TensorShape(features: 5)
        var frozenKernel: [Float] = []
        let net = try train("dense 4 relu, dense 3 softmax", input: input, steps: 2) { net in
            net.setTrainable(layer: 0, false)
            frozenKernel = net.values("layers.0.dense.kernel")
        }
        #expect(net.values("layers.0.dense.kernel") == frozenKernel)
    }

    /// Shapes large enough for every split the engine makes (split-k weight gradients, row
    /// blocks, multi-part pooling, dropout and optimizer pieces): 1 and 2 threads must agree
    /// to the bit.
    @Test func trainingIsBitIdenticalAcrossThreadCountsAtScale() throws {
        let input = TensorShape(height: 66, width: 66, channels: 1)
        let spec = "conv 16 3 valid relu, maxpool 2, dropout 0.25, conv 32 3 same relu, maxpool 2, flatten, dense 40 relu, dense 3 softmax"
        let one = try train(spec, input: input, steps: 2, threads: 1)
        let two = try train(spec, input: input, steps: 2, threads: 2)
        for t in one.parameters.tensors {
            #expect(one.parameters.array(t) == two.parameters.array(t), "\(t.name)")
        }
    }
}
