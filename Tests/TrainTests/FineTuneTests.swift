import DataPrep
import Testing
@testable import Train

/// Fine-tuning a checkpoint's network: the head grows without touching the old classes, the
/// chosen layers freeze (counted as Keras counts `model.layers[:N]`), frozen weights survive
/// training bit for bit.
@Suite struct FineTuneTests {
    static let input = TensorShape(height: 8, width: 8, channels: 2)
    /// Keras names: conv2d, max_pooling2d, conv2d_1, max_pooling2d_1, dropout, flatten, dense, dense_1.
    static let spec = "conv 4 3 same relu, maxpool 2, conv 8 3 same relu, maxpool 2, dropout 0.25, flatten, dense 16 relu, dense 3 softmax"
    static let abc = ["a", "b", "c"]

    func source(_ spec: String = FineTuneTests.spec, seed: UInt64 = 3) throws -> Network {
        try Network(spec: ModelSpec(parsing: spec), input: Self.input, seed: seed)
    }

    func plan(_ data: [String], frozen: [Int] = [], reinit: Bool = false, seed: UInt64 = 9) throws -> FineTunePlan {
        FineTunePlan(classes: try ClassExtension(checkpoint: Self.abc, data: data), frozenLayers: frozen,
                     reinitializeHead: reinit, seed: seed)
    }

    func inputs(_ count: Int, seed: UInt64 = 1) -> [Float] {
        var random = TestRandom(seed)
        return random.floats(count * Self.input.count)
    }

    /// The pre-softmax outputs: the same weights in a twin whose last layer is linear.
    func logits(_ network: Network, _ x: [Float], batch: Int) throws -> [Float] {
        var spec = network.spec
        guard case .dense(var head) = spec.layers.last else { throw TrainError.invalidConfiguration(reason: "the model ends in no dense layer") }
        head.activation = .linear
        spec.layers[spec.layers.count - 1] = .dense(head)
        let twin = try Network(spec: spec, input: network.inputShape, seed: 0)
        twin.parameters.values.update(from: network.parameters.values, count: network.parameters.count)
        return twin.run(x, batch: batch)
    }

    // MARK: Head extension

    @Test func extendedHeadKeepsTheOldClassesLogitsExactlyBeforeAnyStep() throws {
        let old = try source()
        let new = try FineTuneModel.build(from: old, plan: plan(Self.abc + ["d", "e"]))
        #expect(new.outputShape.count == 5)
        let x = inputs(6)
        let before = try logits(old, x, batch: 6), after = try logits(new, x, batch: 6)
        for n in 0..<6 {
            #expect(Array(after[(n * 5)..<(n * 5 + 3)]) == Array(before[(n * 3)..<(n * 3 + 3)]), "sample \(n)")
        }
        // The new logits come from fresh weights: not a copy of any old one.
        #expect(after[3] != after[0] && after[4] != after[1])
    }

    @Test func headTensorsKeepOldColumnsAndInitializeNewOnesFromTheSeed() throws {
        let old = try source()
        let p = try plan(Self.abc + ["d", "e"], seed: 9)
        let new = try FineTuneModel.build(from: old, plan: p)
        let oldKernel = old.values("layers.7.dense.kernel"), newKernel = new.values("layers.7.dense.kernel")
        #expect(new.parameters.tensor(named: "layers.7.dense.kernel")?.shape == [16, 5])
        #expect(new.parameters.tensor(named: "layers.7.dense.bias")?.shape == [5])
        // A fresh network of the grown spec with the same seed is where the new columns come from.
        let fresh = try Network(spec: FineTuneModel.spec(from: old.spec, plan: p), input: Self.input, seed: 9)
        let freshKernel = fresh.values("layers.7.dense.kernel")
        for r in 0..<16 {
            #expect(Array(newKernel[(r * 5)..<(r * 5 + 3)]) == Array(oldKernel[(r * 3)..<(r * 3 + 3)]), "row \(r)")
            #expect(Array(newKernel[(r * 5 + 3)..<(r * 5 + 5)]) == Array(freshKernel[(r * 5 + 3)..<(r * 5 + 5)]), "row \(r)")
        }
        old.setValues("layers.7.dense.bias", [0.5, -0.25, 2])
        let withBias = try FineTuneModel.build(from: old, plan: p)
        #expect(withBias.values("layers.7.dense.bias") == [0.5, -0.25, 2, 0, 0])
        // Every layer below the head is copied bit for bit.
        for t in old.parameters.tensors where t.layer < 7 { #expect(new.values(t.name) == old.values(t.name), "\(t.name)") }
    }

    @Test func reinitializedHeadStartsOverAndTheRestIsCopied() throws {
        let old = try source()
        old.setValues("layers.7.dense.bias", [1, 2, 3])
        let p = try plan(Self.abc, reinit: true, seed: 4)
        let new = try FineTuneModel.build(from: old, plan: p)
        let fresh = try Network(spec: old.spec, input: Self.input, seed: 4)
        #expect(new.values("layers.7.dense.kernel") == fresh.values("layers.7.dense.kernel"))
        #expect(new.values("layers.7.dense.kernel") != old.values("layers.7.dense.kernel"))
        #expect(new.values("layers.7.dense.bias") == [0, 0, 0])
        #expect(new.values("layers.6.dense.kernel") == old.values("layers.6.dense.kernel"))
    }

    @Test func sameClassesWithoutReinitCopyEveryTensor() throws {
        let old = try source()
        let new = try FineTuneModel.build(from: old, plan: plan(Self.abc))
        #expect(Array(UnsafeBufferPointer(start: new.parameters.values, count: new.parameters.count))
                == Array(UnsafeBufferPointer(start: old.parameters.values, count: old.parameters.count)))
    }

    @Test func headAfterAnActivationLayerIsFoundAndAHeadlessModelIsAnError() throws {
        #expect(FineTuneModel.headLayer(of: try ModelSpec(parsing: "flatten, dense 3, dropout 0.5, softmax")) == 1)
        #expect(FineTuneModel.headLayer(of: try ModelSpec(parsing: "flatten, dense 3, batchnorm")) == nil)
        let old = try source("conv 3 3 same, maxpool 2, flatten, dense 3, batchnorm")
        #expect(throws: TrainError.incompatibleData(reason: "the model does not end in a dense layer (followed only by activation or dropout), so its head cannot be extended")) {
            try FineTuneModel.build(from: old, plan: plan(Self.abc + ["d"]))
        }
    }

    @Test func aSigmoidHeadCannotTakeNewClasses() throws {
        let old = try source("flatten, dense 1 sigmoid")
        let p = FineTunePlan(classes: try ClassExtension(checkpoint: ["cat", "dog"], data: ["cat", "dog", "fox"]), frozenLayers: [], seed: 1)
        #expect(throws: TrainError.incompatibleData(reason: "the head (layer 1) has 1 outputs for the checkpoint's 2 classes; only a head with one output per class (softmax) can take new classes")) {
            try FineTuneModel.build(from: old, plan: p)
        }
    }

    // MARK: Freezing

    @Test func freezeNCountsEveryLayerAsKerasDoes() throws {
        let old = try source()
        let names = ModelSummary(network: old).layers.map(\.name)
        #expect(names == ["conv2d", "max_pooling2d", "conv2d_1", "max_pooling2d_1", "dropout", "flatten", "dense", "dense_1"])
        #expect(try FreezeSelection(parsing: "5") == .first(5))
        #expect(try FreezeSelection(parsing: "5").layerIndices(layerNames: names) == [0, 1, 2, 3, 4])
        #expect(try FreezeSelection(parsing: "0").layerIndices(layerNames: names) == [])
        let new = try FineTuneModel.build(from: old, plan: plan(Self.abc + ["d", "e"], frozen: [0, 1, 2, 3, 4]))
        let summary = ModelSummary(network: new)
        // conv2d 3*3*2*4+4 = 76, conv2d_1 3*3*4*8+8 = 296 frozen; dense 32*16+16 = 528, dense_1 16*5+5 = 85 train.
        #expect(summary.totalParameters == 985 && summary.trainableParameters == 613 && summary.nonTrainableParameters == 372)
        #expect(summary.layers.map(\.trainable) == [false, false, false, false, false, true, true, true])
        #expect(summary.text.contains("Trainable params: 613") && summary.text.contains("Non-trainable params: 372"))
        #expect(!new.spec.layers[2].isTrainable && new.spec.layers[6].isTrainable)
    }

    @Test func freezeByNameTakesSummaryNamesAndListsThemForAnUnknownOne() throws {
        let names = ModelSummary(network: try source()).layers.map(\.name)
        #expect(try FreezeSelection(parsing: "conv2d_1, conv2d").layerIndices(layerNames: names) == [0, 2])
        #expect(throws: TrainError.invalidConfiguration(reason: "--freeze: no layer named \"conv1\"; the model's layers are: conv2d, max_pooling2d, conv2d_1, max_pooling2d_1, dropout, flatten, dense, dense_1")) {
            try FreezeSelection(parsing: "conv2d,conv1").layerIndices(layerNames: names)
        }
        #expect(throws: TrainError.invalidConfiguration(reason: "--freeze 9: the model has only 8 layers (conv2d, max_pooling2d, conv2d_1, max_pooling2d_1, dropout, flatten, dense, dense_1)")) {
            try FreezeSelection(parsing: "9").layerIndices(layerNames: names)
        }
        #expect(throws: TrainError.invalidConfiguration(reason: "--freeze N must be 0 or more, got -1")) { try FreezeSelection(parsing: "-1") }
        #expect(throws: TrainError.invalidConfiguration(reason: "--freeze takes a layer count or comma-separated layer names, got \"a,,b\"")) {
            try FreezeSelection(parsing: "a,,b")
        }
    }

    @Test func selectionAloneDecidesWhatIsFrozen() throws {
        // A checkpoint whose spec froze dense 16: the new run freezes only what it asks for.
        let old = try source(Self.spec.replacingOccurrences(of: "dense 16 relu", with: "dense 16 relu frozen"))
        let new = try FineTuneModel.build(from: old, plan: plan(Self.abc, frozen: [0]))
        #expect(new.spec.layers.map(\.isTrainable) == [false, true, true, true, true, true, true, true])
    }

    @Test func aFrozenHeadThatMustLearnAndAllFrozenAreErrors() throws {
        let old = try source()
        #expect(throws: TrainError.invalidConfiguration(reason: "the head (layer 7) is extended to 4 classes and must train: freeze fewer layers")) {
            try FineTuneModel.build(from: old, plan: plan(Self.abc + ["d"], frozen: [7]))
        }
        #expect(throws: TrainError.invalidConfiguration(reason: "every layer with weights is frozen: nothing left to train (freeze fewer layers)")) {
            try FineTuneModel.build(from: old, plan: plan(Self.abc, frozen: Array(0..<8)))
        }
    }

    @Test func frozenTensorsStayBitIdenticalThroughTrainingSteps() throws {
        let spec = "conv 4 3 same relu, batchnorm, maxpool 2, conv 4 3 same relu, flatten, dense 6 relu, dense 3 softmax"
        let old = try source(spec)
        old.setValues("layers.1.batchnorm.moving_mean", [0.1, 0.2, 0.3, 0.4])
        old.setValues("layers.1.batchnorm.moving_variance", [1.5, 0.5, 2, 1])
        let new = try FineTuneModel.build(from: old, plan: plan(Self.abc + ["d", "e"], frozen: [0, 1, 2]))
        let trainer = try Trainer(network: new, config: TrainingConfig(epochs: 1, batchSize: 8,
                                                                       optimizer: OptimizerConfig(kind: .adam, learningRate: 0.01),
                                                                       seed: 5, loss: .sparseCategoricalCrossEntropy))
        for step in 0..<3 {
            var batch = Batch(capacity: 8, height: 8, width: 8, channels: 2)
            let x = inputs(8, seed: UInt64(step + 10))
            for i in batch.images.indices { batch.images[i] = x[i] }
            for i in 0..<8 { batch.labels[i] = Int32(i % 5) }
            batch.count = 8
            _ = try trainer.trainStep(batch, learningRate: 0.01)
        }
        for t in old.parameters.tensors where t.layer <= 1 {
            #expect(new.values(t.name) == old.values(t.name), "\(t.name) moved")
        }
        #expect(new.values("layers.3.conv.kernel") != old.values("layers.3.conv.kernel"))
        #expect(new.values("layers.5.dense.kernel") != old.values("layers.5.dense.kernel"))
    }

    // MARK: Classes

    @Test func classesMustStartWithTheCheckpointsInOrder() throws {
        let ten = CIFARClassNames.cifar10
        let merged = try ClassExtension(checkpoint: ten, data: ten + ["crab", "lobster", "snail", "spider", "worm"])
        #expect(merged.kept == ten && merged.added == ["crab", "lobster", "snail", "spider", "worm"])
        #expect(try ClassExtension(checkpoint: ten, data: ten).added.isEmpty)
        #expect(throws: TrainError.incompatibleData(reason: "class 1 of the data is \"bird\", the checkpoint's class 1 is \"automobile\": fine-tune needs the checkpoint's 10 classes first, in the same order, then the new ones (as merge-cifar writes them)")) {
            try ClassExtension(checkpoint: ten, data: ten.filter { $0 != "automobile" } + ["crab"])
        }
        #expect(throws: TrainError.incompatibleData(reason: "the data has 8 classes, the checkpoint 10: the data lacks ship, truck (fine-tune keeps every checkpoint class and can only add classes after them)")) {
            try ClassExtension(checkpoint: ten, data: Array(ten.prefix(8)))
        }
    }

    @Test func recordNamesTheFrozenLayersAndTheHeadGrowth() throws {
        let old = try source()
        let p = try plan(Self.abc + ["d", "e"], frozen: [0, 2])
        let new = try FineTuneModel.build(from: old, plan: p)
        let record = FineTuneRecord(source: "run/best", plan: p, summary: ModelSummary(network: new), sourceSpec: old.spec)
        #expect(record.frozenLayers.map(\.name) == ["conv2d", "conv2d_1"])
        #expect(record.frozenLayers.map(\.path) == ["layers.0.conv", "layers.2.conv"])
        #expect(record.headLayer == 7 && record.headUnits == [3, 5] && record.addedClasses == ["d", "e"])
        #expect(record.nonTrainableParameters == 76 + 296)
    }
}
