import DataPrep
import Foundation
import Testing
@testable import Train

/// Each layer kind's typed settings: the text and JSON forms they read and write (the JSON
/// strings below are what the untyped `LayerSpec` of 13 optionals wrote, so checkpoints keep
/// their bytes), their defaults, one refusal per invalid field with its exact message, and
/// Keras's parameter count.
@Suite struct LayerSpecTests {
    /// The layer `text` parses to, and its JSON as a checkpoint stores it (sorted keys, compact).
    func layer(_ text: String) throws -> (layer: LayerSpec, json: String) {
        let spec = try ModelSpec(parsing: text)
        #expect(spec.layers.count == 1)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(spec.layers[0]), as: UTF8.self)
        // Both forms read back to the same value.
        #expect(try ModelSpec(parsing: spec.text) == spec, "\(text)")
        #expect(try JSONDecoder().decode(LayerSpec.self, from: Data(json.utf8)) == spec.layers[0], "\(text)")
        #expect(try ModelSpec(json: Data("[\(json)]".utf8), source: "m.json") == spec, "\(text)")
        return (spec.layers[0], json)
    }

    func refuses(_ text: String, item: String, _ reason: String) {
        #expect(throws: TrainError.invalidSpec(spec: text, item: item, reason: reason)) { try ModelSpec(parsing: text) }
    }

    func refuses(json: String, item: String, _ reason: String) {
        #expect(throws: TrainError.invalidSpec(spec: "m.json", item: item, reason: reason)) {
            try ModelSpec(json: Data("[\(json)]".utf8), source: "m.json")
        }
    }

    /// Keras's count for one layer, checked against the network's own tensors too.
    func parameters(_ text: String, input: TensorShape) throws -> Int {
        let spec = try ModelSpec(parsing: text)
        let count = spec.layers[0].parameterCount(input: input)
        #expect(try Network(spec: spec, input: input, seed: 0).parameters.count == count, "\(text)")
        return count
    }

    // MARK: conv

    @Test func convReadsAndWritesBothForms() throws {
        let (l, json) = try layer("conv 16 5x3 stride 2 same tanh l2=0.001 init=he frozen")
        var expected = Conv2DSpec(filters: 16, kernel: SpatialSize(5, 3), stride: 2, padding: .same, activation: .tanh,
                                  weights: KernelSettings(l2: 0.001, initializer: .he))
        expected.trainable = false
        #expect(l == .conv(expected))
        #expect(l.text == "conv 16 5x3 stride 2 same tanh l2=0.001 init=he frozen")
        #expect(json == #"{"activation":"tanh","filters":16,"initializer":"he","kernel":[5,3],"l2":0.001,"padding":"same","#
                + #""stride":[2,2],"trainable":false,"type":"conv"}"#)
        #expect(try layer("conv2d 8 3 s2 valid l1=0.5").layer.text == "conv 8 3 stride 2 valid l1=0.5")
    }

    @Test func convDefaultsAreKeras() throws {
        let (l, json) = try layer("conv 8 3")
        #expect(l == .conv(Conv2DSpec(filters: 8, kernel: 3, stride: 1, padding: .valid, activation: .linear, weights: KernelSettings())))
        #expect(l.isTrainable)
        #expect(json == #"{"activation":"linear","filters":8,"kernel":[3,3],"padding":"valid","stride":[1,1],"type":"conv"}"#)
        // JSON that leaves the defaults out reads as the same layer.
        #expect(try ModelSpec(json: Data(#"[{"type": "conv", "filters": 8, "kernel": [3, 3]}]"#.utf8), source: "m.json").layers == [l])
    }

    @Test func convRefusals() {
        refuses("conv 0 3", item: "conv 0 3 valid", "conv needs filters > 0")
        refuses("conv x 3", item: "conv x 3", "filters \"x\" is not a number")
        refuses("conv 32", item: "conv 32", "conv needs FILTERS and KERNEL, e.g. \"conv 32 3 same relu\"")
        refuses("conv 3 0", item: "conv 3 0", "bad size \"0\"")
        refuses("conv 4 3 stride 0", item: "conv 4 3 stride 0 valid", "stride must be two positive numbers")
        refuses("conv 4 3 stride", item: "conv 4 3 stride", "stride needs a value")
        refuses("conv 4 3 l1=-1", item: "conv 4 3 valid l1=-1.0", "l1 must be ≥ 0")
        refuses("conv 4 3 l2=-0.5", item: "conv 4 3 valid l2=-0.5", "l2 must be ≥ 0")
        refuses("conv 4 3 init=foo", item: "conv 4 3 init=foo", "unknown initializer \"foo\" (he, glorot)")
        refuses("conv 4 3 foo=1", item: "conv 4 3 foo=1", "unknown option \"foo\"")
        refuses("conv 4 3 momentum=0.9", item: "conv 4 3 momentum=0.9", "momentum= and epsilon= are batchnorm options")
        refuses(json: #"{"type": "conv", "kernel": [3, 3]}"#, item: "conv 0 3 valid", "conv needs filters > 0")
        refuses(json: #"{"type": "conv", "filters": 2}"#, item: "conv 2 ? valid", "conv needs a kernel [h, w] > 0")
        refuses(json: #"{"type": "conv", "filters": 2, "kernel": [3]}"#, item: "conv 2 [3] valid", "conv needs a kernel [h, w] > 0")
        refuses(json: #"{"type": "conv", "filters": 2, "kernel": [3, 0]}"#, item: "conv 2 3x0 valid", "conv needs a kernel [h, w] > 0")
        refuses(json: #"{"type": "conv", "filters": 2, "kernel": [3, 3], "stride": [1]}"#, item: "conv 2 3 stride [1] valid",
                "stride must be two positive numbers")
        // A field conv ignores is still range-checked, as before the kinds were typed.
        refuses(json: #"{"type": "conv", "filters": 2, "kernel": [3, 3], "momentum": 5}"#, item: "conv 2 3 valid", "momentum must be in [0, 1]")
    }

    /// Keras Conv2D: (KH * KW * C_in + 1) * filters (kernel plus one bias per filter).
    @Test func convParameterCount() throws {
        #expect(try parameters("conv 16 5x3 stride 2 same", input: TensorShape(height: 10, width: 9, channels: 3)) == (5 * 3 * 3 + 1) * 16)
        #expect(try parameters("conv 32 3 same relu", input: TensorShape(height: 28, width: 28, channels: 1)) == 320)
    }

    // MARK: dense

    @Test func denseReadsAndWritesBothForms() throws {
        let (l, json) = try layer("linear-layer 2 sigmoid l2=0.01 init=he frozen")
        var expected = DenseSpec(units: 2, activation: .sigmoid, weights: KernelSettings(l2: 0.01, initializer: .he))
        expected.trainable = false
        #expect(l == .dense(expected) && l.text == "dense 2 sigmoid l2=0.01 init=he frozen")
        #expect(json == #"{"activation":"sigmoid","initializer":"he","l2":0.01,"trainable":false,"type":"dense","units":2}"#)
        #expect(try layer("fc 10 softmax").json == #"{"activation":"softmax","type":"dense","units":10}"#)
    }

    @Test func denseDefaultsAreKeras() throws {
        let (l, json) = try layer("dense 3")
        #expect(l == .dense(DenseSpec(units: 3, activation: .linear, weights: KernelSettings())) && l.units == 3)
        #expect(json == #"{"activation":"linear","type":"dense","units":3}"#)
    }

    @Test func denseRefusals() {
        refuses("dense 0", item: "dense 0", "dense needs units > 0")
        refuses("dense 3 4", item: "dense 3 4", "dense needs UNITS, e.g. \"dense 128 relu\"")
        refuses("dense 2.5", item: "dense 2.5", "units \"2.5\" is not a number")
        refuses("dense 3 same", item: "dense 3 same", "dense takes no padding (only conv and pooling do)")
        refuses("dense 3 stride 2", item: "dense 3 stride 2", "dense takes no stride (only conv and pooling do)")
        refuses("dense 3 epsilon=0.1", item: "dense 3 epsilon=0.1", "momentum= and epsilon= are batchnorm options")
        refuses(json: #"{"type": "dense"}"#, item: "dense 0", "dense needs units > 0")
        refuses(json: #"{"type": "dense", "units": 4, "stride": [0, 2]}"#, item: "dense 4", "stride must be two positive numbers")
    }

    /// Keras Dense: (inputs + 1) * units.
    @Test func denseParameterCount() throws {
        #expect(try parameters("dense 128", input: TensorShape(features: 784)) == 785 * 128)
    }

    // MARK: pooling

    @Test func poolingReadsAndWritesBothForms() throws {
        let (l, json) = try layer("avgpool 3 stride 2 same")
        #expect(l == .avgpool(PoolSpec(window: 3, stride: 2, padding: .same)))
        #expect(json == #"{"kernel":[3,3],"padding":"same","stride":[2,2],"type":"avgpool"}"#)
        #expect(try layer("maxpool2d 2x3").json == #"{"kernel":[2,3],"padding":"valid","stride":[2,3],"type":"maxpool"}"#)
        #expect(try layer("maxpool 2 s1").layer.text == "maxpool 2 stride 1")
    }

    @Test func poolingDefaultsAreKeras() throws {
        // The text form's window defaults to 2; the stride to the window, as Keras's pool_size.
        let (l, json) = try layer("maxpool")
        #expect(l == .maxpool(PoolSpec(window: 2, stride: 2, padding: .valid)) && l.text == "maxpool 2")
        #expect(json == #"{"kernel":[2,2],"padding":"valid","stride":[2,2],"type":"maxpool"}"#)
        #expect(try ModelSpec(json: Data(#"[{"type": "maxpool", "kernel": [2, 2]}]"#.utf8), source: "m.json").layers == [l])
    }

    @Test func poolingRefusals() {
        refuses("maxpool 2 3", item: "maxpool 2 3", "pooling takes one SIZE, e.g. \"maxpool 2\"")
        refuses("maxpool 0", item: "maxpool 0", "bad size \"0\"")
        refuses("maxpool relu", item: "maxpool relu", "maxpool takes no activation: add it as a layer of its own, e.g. \"maxpool …, relu\"")
        refuses("maxpool 2 stride 0", item: "maxpool 2 stride 0", "stride must be two positive numbers")
        refuses("avgpool 2 epsilon=0.1", item: "avgpool 2 epsilon=0.1", "momentum= and epsilon= are batchnorm options")
        refuses(json: #"{"type": "maxpool"}"#, item: "maxpool ?", "pooling needs a window [h, w] > 0")
        refuses(json: #"{"type": "avgpool", "kernel": [2, -2]}"#, item: "avgpool 2x-2", "pooling needs a window [h, w] > 0")
    }

    /// Keras pooling layers have no weights.
    @Test func poolingParameterCount() throws {
        #expect(try parameters("maxpool 2", input: TensorShape(height: 4, width: 4, channels: 3)) == 0)
        #expect(try parameters("avgpool 3 stride 2 same", input: TensorShape(height: 5, width: 5, channels: 3)) == 0)
    }

    // MARK: dropout

    @Test func dropoutReadsAndWritesBothForms() throws {
        let (l, json) = try layer("dropout 0.25")
        #expect(l == .dropout(DropoutSpec(rate: 0.25)) && json == #"{"rate":0.25,"type":"dropout"}"#)
        #expect(try layer("dropout 0").layer == .dropout(DropoutSpec(rate: 0)))
    }

    @Test func dropoutRefusals() {
        refuses("dropout 1", item: "dropout 1.0", "dropout rate must be in [0, 1), got 1.0")
        refuses("dropout -0.1", item: "dropout -0.1", "dropout rate must be in [0, 1), got -0.1")
        refuses("dropout", item: "dropout", "dropout needs a RATE, e.g. \"dropout 0.25\"")
        refuses("dropout x", item: "dropout x", "rate \"x\" is not a number")
        refuses("dropout 0.5 relu", item: "dropout 0.5 relu", "dropout takes no activation: add it as a layer of its own, e.g. \"dropout …, relu\"")
        refuses(json: #"{"type": "dropout"}"#, item: "dropout 0.0", "dropout rate must be in [0, 1), got none")
    }

    // MARK: batchnorm

    @Test func batchNormReadsAndWritesBothForms() throws {
        let (l, json) = try layer("bn epsilon=1e-5 momentum=0.9 frozen")
        var expected = BatchNormSpec(momentum: 0.9, epsilon: 1e-5)
        expected.trainable = false
        #expect(l == .batchnorm(expected) && l.text == "batchnorm momentum=0.9 epsilon=1e-05 frozen")
        #expect(json == #"{"epsilon":1e-05,"momentum":0.9,"trainable":false,"type":"batchnorm"}"#)
    }

    /// Unset momentum and epsilon are Keras's 0.99 and 1e-3; a written 0.99 still prints.
    @Test func batchNormDefaultsAreKeras() throws {
        let (l, json) = try layer("batchnorm")
        guard case .batchnorm(let bn) = l else { Issue.record("\(l)"); return }
        #expect(bn.momentumOrDefault == 0.99 && bn.epsilonOrDefault == 1e-3 && json == #"{"type":"batchnorm"}"#)
        #expect(try layer("bn momentum=0.99").layer.text == "batchnorm momentum=0.99")
    }

    @Test func batchNormRefusals() {
        refuses("bn momentum=2", item: "batchnorm momentum=2.0", "momentum must be in [0, 1]")
        refuses("bn epsilon=0", item: "batchnorm epsilon=0.0", "epsilon must be > 0")
        refuses("bn momentum=x", item: "bn momentum=x", "momentum \"x\" is not a number")
        refuses("bn 3", item: "bn 3", "bn takes no positional arguments")
        refuses("bn relu", item: "bn relu", "bn takes no activation: add it as a layer of its own, e.g. \"bn …, relu\"")
        refuses("bn stride 2", item: "bn stride 2", "bn takes no stride (only conv and pooling do)")
        refuses(json: #"{"type": "batchnorm", "momentum": 1.5}"#, item: "batchnorm momentum=1.5", "momentum must be in [0, 1]")
    }

    /// Keras BatchNormalization: 4 * C (gamma and beta train; the moving mean and variance do not).
    @Test func batchNormParameterCount() throws {
        let input = TensorShape(height: 4, width: 4, channels: 8)
        #expect(try parameters("batchnorm", input: input) == 4 * 8)
        #expect(try Network(spec: ModelSpec(parsing: "batchnorm"), input: input, seed: 0).parameters.trainableCount == 2 * 8)
    }

    // MARK: flatten and activations

    @Test func flattenAndActivationReadAndWriteBothForms() throws {
        #expect(try layer("flatten") == (.flatten(FlattenSpec()), #"{"type":"flatten"}"#))
        let frozen = try layer("flatten frozen")
        #expect(!frozen.layer.isTrainable && frozen.json == #"{"trainable":false,"type":"flatten"}"#)
        #expect(try layer("relu") == (.activation(ActivationSpec(.relu)), #"{"activation":"relu","type":"activation"}"#))
        #expect(try layer("SOFTMAX").layer == .activation(ActivationSpec(.softmax)))
    }

    @Test func flattenAndActivationRefusals() {
        refuses("flatten 3", item: "flatten 3", "flatten takes no positional arguments")
        refuses("flatten same", item: "flatten same", "flatten takes no padding (only conv and pooling do)")
        refuses("flatten relu", item: "flatten relu", "flatten takes no activation: add it as a layer of its own, e.g. \"flatten …, relu\"")
        refuses("relu 3", item: "relu 3", "an activation takes no arguments")
        refuses("relu frozen", item: "relu frozen", "an activation takes no arguments")
        refuses(json: #"{"type": "activation"}"#, item: "linear", "activation layer needs an activation")
    }

    /// Flatten, Dropout and Activation have no weights in Keras.
    @Test func weightlessParameterCounts() throws {
        let input = TensorShape(height: 3, width: 2, channels: 5)
        #expect(try parameters("flatten", input: input) == 0)
        #expect(try parameters("dropout 0.5", input: input) == 0)
        #expect(try parameters("relu", input: input) == 0)
    }

    // MARK: whole models

    /// Summed layer by layer on the shapes the network propagates, the presets give Keras's totals.
    @Test(arguments: ModelPreset.allCases)
    func presetCountsAreTheSumOfTheKinds(_ preset: ModelPreset) throws {
        let net = try Network(spec: preset.spec, input: preset.input, seed: 0)
        let inputs = [preset.input] + net.layerSummaries.dropLast().map(\.output)
        let counts = zip(preset.spec.layers, inputs).map { $0.parameterCount(input: $1) }
        #expect(counts == net.layerSummaries.map(\.parameters))
        #expect(counts.reduce(0, +) == preset.kerasParameterCount)
    }

    /// An option only conv and dense use, on another kind, would be dropped without effect: refused.
    @Test func kernelOptionsOnLayersWithoutAKernelAreRefused() {
        refuses("dropout 0.5 l1=0.1", item: "dropout 0.5 l1=0.1", "dropout takes no l1=, l2= or init= (only conv and dense have a kernel)")
        refuses("maxpool 2 l2=0.01", item: "maxpool 2 l2=0.01", "maxpool takes no l1=, l2= or init= (only conv and dense have a kernel)")
        refuses("bn init=he", item: "bn init=he", "bn takes no l1=, l2= or init= (only conv and dense have a kernel)")
    }

    /// What older checkpoints may hold besides what text writes: defaults left out, `"trainable":
    /// true`, fields the kind ignores. All load, as the layer the text form names.
    @Test func checkpointSpecsWrittenFromJSONStillLoad() throws {
        let layers = #"[{"filters": 2, "kernel": [3, 3], "trainable": true, "type": "conv"}, "#
            + #"{"activation": "relu", "kernel": [2, 2], "type": "maxpool"}, {"type": "flatten", "units": 3}, "#
            + #"{"l1": 0.1, "rate": 0.3, "type": "dropout"}, {"type": "dense", "units": 2}]"#
        let fresh = CheckpointInfo(model: ModelSpec(layers: []), input: TensorShape(height: 4, width: 4, channels: 1),
                                   classNames: ["a", "b"], normalization: .unit)
        var object = try #require(JSONSerialization.jsonObject(with: JSONEncoder().encode(fresh)) as? [String: Any])
        object["model"] = ["layers": try JSONSerialization.jsonObject(with: Data(layers.utf8))]
        let bytes = try JSONSerialization.data(withJSONObject: object)
        let info = try Checkpoint.decodeInfo(Array(bytes), path: "old/checkpoint.json")
        #expect(info.model == (try ModelSpec(parsing: "conv 2 3, maxpool 2, flatten, dropout 0.3, dense 2")))
    }
}
