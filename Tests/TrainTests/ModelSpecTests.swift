import Foundation
import Testing
@testable import Train

@Suite struct ModelSpecTests {
    /// Keras's published parameter counts are the oracle.
    @Test(arguments: ModelPreset.allCases)
    func presetParameterCounts(_ preset: ModelPreset) throws {
        let net = try Network(spec: preset.spec, input: preset.input, seed: 0)
        #expect(net.parameters.count == preset.kerasParameterCount)
        #expect(net.parameters.trainableCount == preset.kerasParameterCount)
    }

    @Test func presetCountsMatchTheIssue() {
        #expect(ModelPreset.fashionAlexnet.kerasParameterCount == 331_274)
        #expect(ModelPreset.cifarCNN.kerasParameterCount == 1_250_858)
        #expect(ModelPreset.mlp.kerasParameterCount == 146_780)
    }

    @Test func forwardFLOPsMatchThePeerFigures() throws {
        // RESULTS.md section 4: 15.38 and 41.48 MFLOP per sample.
        let a = try Network(spec: ModelPreset.fashionAlexnet.spec, input: ModelPreset.fashionAlexnet.input, seed: 0)
        #expect(abs(Double(a.forwardFLOPs) / 1e6 - 15.38) < 0.01)
        let b = try Network(spec: ModelPreset.cifarCNN.spec, input: ModelPreset.cifarCNN.input, seed: 0)
        #expect(abs(Double(b.forwardFLOPs) / 1e6 - 41.48) < 0.01)
    }

    @Test func summaryLooksLikeKeras() throws {
        let net = try Network(spec: ModelPreset.fashionAlexnet.spec, input: ModelPreset.fashionAlexnet.input, seed: 0)
        let text = ModelSummary(network: net).text
        #expect(text.contains(" conv2d (Conv2D)                  (None, 28, 28, 32)      320\n"))
        #expect(text.contains("conv2d_1 (Conv2D)"))
        #expect(text.contains(" dense_2 (Dense)                  (None, 10)              650\n"))
        #expect(text.contains("Total params: 331,274"))
        #expect(text.contains("Non-trainable params: 0"))
    }

    @Test func batchNormStatisticsAndFrozenLayersAreNonTrainable() throws {
        let spec = try ModelSpec(parsing: "conv 8 3 same relu frozen, batchnorm, flatten, dense 2 softmax")
        let net = try Network(spec: spec, input: TensorShape(height: 4, width: 4, channels: 1), seed: 0)
        let summary = ModelSummary(network: net)
        // conv 80 (frozen) + batchnorm 32 (16 trainable, 16 statistics) + dense 258.
        #expect(summary.totalParameters == 80 + 32 + 258)
        #expect(summary.nonTrainableParameters == 80 + 16)
        #expect(summary.text.contains("(frozen)"))
        net.setTrainable(layer: 0, true)
        #expect(net.parameters.nonTrainableCount == 16)
    }

    @Test func textRoundTripsAndJSONToo() throws {
        for preset in ModelPreset.allCases {
            let spec = preset.spec
            #expect(try ModelSpec(parsing: spec.text).layers == spec.layers, "\(preset)")
            let decoded = try ModelSpec(json: spec.jsonData(), source: "test")
            #expect(decoded == spec)
        }
        let custom = try ModelSpec(parsing: "conv 16 5x3 stride 2 same tanh l2=0.001 init=he, avgpool 3 stride 2 same, bn momentum=0.9, relu, flatten, dense 3 softmax frozen")
        #expect(try ModelSpec(parsing: custom.text) == custom)
        #expect(custom.layers[0] == .conv(Conv2DSpec(filters: 16, kernel: SpatialSize(5, 3), stride: 2, padding: .same,
                                                     activation: .tanh, weights: KernelSettings(l2: 0.001, initializer: .he))))
        let bare = try ModelSpec.resolve(#"[{"type": "flatten"}, {"type": "dense", "units": 3, "activation": "softmax"}]"#)
        #expect(bare.layers.count == 2 && bare.layers[1].units == 3)
    }

    @Test func badSpecsNameTheLayer() throws {
        #expect(throws: TrainError.self) { try ModelSpec(parsing: "conv 32") }
        do { _ = try ModelSpec(parsing: "conv 8 3, pool 2"); Issue.record("expected an error") } catch let error as TrainError {
            #expect("\(error)".contains("pool 2") && "\(error)".contains("unknown layer type"))
        }
        #expect(throws: TrainError.self) { try ModelSpec(parsing: "dropout 1.5") }
        // A valid 5x5 conv does not fit a 3x3 input; dense without flatten is refused with a hint.
        do { _ = try Network(spec: ModelSpec(parsing: "conv 4 5"), input: TensorShape(height: 3, width: 3, channels: 1), seed: 0)
            Issue.record("expected an error") } catch let error as TrainError { #expect("\(error)".contains("does not fit")) }
        do { _ = try Network(spec: ModelSpec(parsing: "dense 4"), input: TensorShape(height: 3, width: 3, channels: 1), seed: 0)
            Issue.record("expected an error") } catch let error as TrainError { #expect("\(error)".contains("flatten")) }
    }

    @Test func initializationIsSeededAndKerasScaled() throws {
        let spec = try ModelSpec(parsing: "flatten, dense 200, dense 100 init=he")
        let a = try Network(spec: spec, input: TensorShape(features: 300), seed: 42)
        let b = try Network(spec: spec, input: TensorShape(features: 300), seed: 42)
        let c = try Network(spec: spec, input: TensorShape(features: 300), seed: 43)
        #expect(a.values("layers.1.dense.kernel") == b.values("layers.1.dense.kernel"))
        #expect(a.values("layers.1.dense.kernel") != c.values("layers.1.dense.kernel"))
        let glorot = a.values("layers.1.dense.kernel"), limit = Float((6.0 / 500).squareRoot())
        #expect(glorot.allSatisfy { abs($0) <= limit } && glorot.contains { abs($0) > limit * 0.95 })
        let he = a.values("layers.2.dense.kernel")
        let std = (he.reduce(0.0) { $0 + Double($1 * $1) } / Double(he.count)).squareRoot()
        #expect(abs(std - (2.0 / 200).squareRoot()) < 0.01)
        #expect(a.values("layers.1.dense.bias").allSatisfy { $0 == 0 })
    }
}

@Suite struct OptimizerTests {
    func oneParameter(_ config: OptimizerConfig, gradients: [Float], start: Float = 1) throws -> [Float] {
        let net = try Network(spec: ModelSpec(parsing: "flatten, dense 1"), input: TensorShape(features: 1), seed: 0)
        net.setValues("layers.1.dense.kernel", [start])
        let optimizer = Optimizer(config: config, parameterCount: net.parameters.count)
        var trace: [Float] = []
        for g in gradients {
            net.parameters.gradients.update(repeating: 0, count: net.parameters.count)
            net.parameters.gradients[0] = g
            optimizer.step(net.parameters, learningRate: config.learningRate)
            trace.append(net.values("layers.1.dense.kernel")[0])
        }
        return trace
    }

    @Test func adamFirstStepIsLearningRateTimesSign() throws {
        // Bias correction makes Adam's first step lr * g / (|g| + eps').
        let trace = try oneParameter(OptimizerConfig(kind: .adam, learningRate: 0.1), gradients: [0.5, 0.5])
        #expect(abs(trace[0] - 0.9) < 1e-6)
        #expect(abs(trace[1] - 0.8) < 1e-5)
    }

    @Test func sgdMomentumAndNesterovFollowKeras() throws {
        let plain = try oneParameter(OptimizerConfig(kind: .sgd, learningRate: 0.1), gradients: [1, 1])
        #expect(abs(plain[0] - 0.9) < 1e-6 && abs(plain[1] - 0.8) < 1e-6)
        let momentum = try oneParameter(OptimizerConfig(kind: .sgd, learningRate: 0.1, momentum: 0.9), gradients: [1, 1])
        // v1 = -0.1, w = 0.9; v2 = -0.19, w = 0.71
        #expect(abs(momentum[0] - 0.9) < 1e-6 && abs(momentum[1] - 0.71) < 1e-6)
        let nesterov = try oneParameter(OptimizerConfig(kind: .sgd, learningRate: 0.1, momentum: 0.9, nesterov: true), gradients: [1, 1])
        // w += 0.9 * v - 0.1 g: 1 - 0.09 - 0.1 = 0.81; v2 = -0.19: 0.81 - 0.171 - 0.1 = 0.539
        #expect(abs(nesterov[0] - 0.81) < 1e-6 && abs(nesterov[1] - 0.539) < 1e-6)
    }

    @Test func rmspropFirstStep() throws {
        let trace = try oneParameter(OptimizerConfig(kind: .rmsprop, learningRate: 0.01), gradients: [2])
        // v = 0.1 * 4 = 0.4; step = 0.01 * 2 / sqrt(0.4)
        #expect(abs(trace[0] - (1 - 0.02 / Float(0.4).squareRoot())) < 1e-6)
    }

    @Test func frozenTensorsAreSkipped() throws {
        let net = try Network(spec: ModelSpec(parsing: "flatten, dense 2 frozen, dense 1"), input: TensorShape(features: 2), seed: 0)
        let before = net.values("layers.1.dense.kernel")
        let optimizer = Optimizer(config: OptimizerConfig(kind: .sgd, learningRate: 1), parameterCount: net.parameters.count)
        net.parameters.gradients.update(repeating: 1, count: net.parameters.count)
        optimizer.step(net.parameters, learningRate: 1)
        #expect(net.values("layers.1.dense.kernel") == before)
        #expect(net.values("layers.2.dense.bias") == [-1])
    }

    @Test func schedules() throws {
        #expect(try LearningRateSchedule(parsing: "step:2:0.5").rate(base: 1, epoch: 5, epochs: 10) == 0.25)
        #expect(abs(try LearningRateSchedule(parsing: "cosine").rate(base: 1, epoch: 5, epochs: 10) - 0.5) < 1e-6)
        #expect(throws: TrainError.self) { try LearningRateSchedule(parsing: "step:0:2") }
    }
}
