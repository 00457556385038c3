import DataPrep
import Foundation
import Testing
import TestSupport
@testable import Train

/// Fixed-seed training runs: the loss goes down, and the sequence of losses is bit-identical
/// across runs, thread counts and an interrupt + resume.
@Suite struct TrainingTests {
    static let spec = "conv 8 3 same relu, maxpool 2, dropout 0.25, conv 8 3 same relu, maxpool 2, flatten, dense 16 relu, dense 10 softmax"

    func trainer(threads: Int, epochs: Int = 4, seed: UInt64 = 7) throws -> Trainer {
        let net = try Network(spec: ModelSpec(parsing: Self.spec), input: TensorShape(height: 28, width: 28, channels: 1),
                              seed: seed, threads: threads)
        return try Trainer(network: net, config: TrainingConfig(epochs: epochs, batchSize: 10,
                                                                  optimizer: OptimizerConfig(kind: .adam, learningRate: 0.01),
                                                                  seed: seed, loss: .sparseCategoricalCrossEntropy))
    }

    func fixture() throws -> ImageDataset {
        try #require(LoadedDataset.load(path: TestPaths.fixture("idx/mnist")).splits["train"])
    }

    /// Every step's loss of a run, as bit patterns.
    func losses(threads: Int, epochs: Int = 10) throws -> (steps: [UInt64], trainer: Trainer) {
        let t = try trainer(threads: threads, epochs: epochs)
        var source = ArrayBatchSource(dataset: try fixture(), shuffleSeed: 7)
        var steps: [UInt64] = []
        for epoch in 0..<epochs {
            try source.forEachBatch(epoch: epoch, batchSize: 10) { batch in
                steps.append(try t.trainStep(batch, learningRate: 0.01).loss.bitPattern)
            }
        }
        return (steps, t)
    }

    @Test func lossDecreasesAndIsReproducibleAcrossRunsAndThreads() throws {
        let one = try losses(threads: 1), again = try losses(threads: 1), two = try losses(threads: 2)
        let values = one.steps.map(Double.init(bitPattern:))
        #expect(values.count == 20)
        let early: Double = values[0] + values[1] + values[2] + values[3]
        let late: Double = values[16] + values[17] + values[18] + values[19]
        #expect(late < early * 0.7, "losses \(values)")
        #expect(one.steps == again.steps)
        #expect(one.steps == two.steps, "1 vs 2 threads")
        #expect(one.trainer.network.values("layers.6.dense.kernel") == two.trainer.network.values("layers.6.dense.kernel"))
    }

    @Test func fitValidatesAndStopsEarly() throws {
        let t = try trainer(threads: 2, epochs: 30)
        var train = ArrayBatchSource(dataset: try fixture(), shuffleSeed: 1)
        var validation: ArrayBatchSource? = ArrayBatchSource(dataset: try #require(LoadedDataset.load(path: TestPaths.fixture("idx/mnist")).splits["test"]))
        var t2 = t.config
        t2.patience = 2
        let patient = try Trainer(network: t.network, config: t2)
        var records: [EpochRecord] = []
        let reason = try patient.fit(training: &train, validation: &validation, onEpoch: { record, _ in records.append(record) })
        #expect(records.allSatisfy { $0.validationLoss != nil && $0.validationAccuracy != nil })
        // The fixture's test labels are unrelated to its images, so validation loss stops improving quickly.
        #expect(reason == .earlyStopped || records.count == 30)
        if reason == .earlyStopped { #expect(patient.state.epochsWithoutImprovement == 2) }
    }

    /// Interrupting mid-epoch, saving, and resuming reproduces the uninterrupted run exactly.
    @Test func interruptAndResumeContinueIdentically() throws {
        let directory = NSTemporaryDirectory() + "train-resume-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let data = try fixture()
        var none: ArrayBatchSource? = nil

        let straight = try trainer(threads: 1, epochs: 3)
        var source = ArrayBatchSource(dataset: data, shuffleSeed: 3)
        _ = try straight.fit(training: &source, validation: &none)

        let first = try trainer(threads: 2, epochs: 3)
        var steps = 0
        source = ArrayBatchSource(dataset: data, shuffleSeed: 3)
        let reason = try first.fit(training: &source, validation: &none, shouldStop: { steps += 1; return steps > 3 })
        #expect(reason == .interrupted)
        #expect(first.state.epoch == 1 && first.state.batchesDone == 1)
        let run = try TrainingRun(directory: directory, classNames: data.classNames, normalization: .unit)
        try run.save(first, best: false)

        let (resumed, info) = try TrainingRun.resume(from: directory, threads: 1)
        #expect(info.classNames == data.classNames)
        source = ArrayBatchSource(dataset: data, shuffleSeed: 3)
        #expect(try resumed.fit(training: &source, validation: &none) == .completed)
        #expect(resumed.state.history.map(\.loss) == straight.state.history.map(\.loss))
        #expect(resumed.network.values("layers.6.dense.kernel") == straight.network.values("layers.6.dense.kernel"))
        #expect(resumed.optimizer.iterations == straight.optimizer.iterations)
    }

    @Test func binaryModelTrainsWithSigmoidHead() throws {
        let data = syntheticDataset(count: 32, height: 8, width: 8, channels: 1, classes: 2, seed: 4)
        let net = try Network(spec: ModelSpec(parsing: "conv 4 3 relu, maxpool 2, flatten, dense 1 sigmoid"),
                              input: TensorShape(height: 8, width: 8, channels: 1), seed: 1)
        let t = try Trainer(network: net, config: TrainingConfig(epochs: 15, batchSize: 8, optimizer: OptimizerConfig(kind: .adam, learningRate: 0.01),
                                                                 seed: 1, loss: .binaryCrossEntropy))
        var source = ArrayBatchSource(dataset: data, shuffleSeed: 1)
        var none: ArrayBatchSource? = nil
        _ = try t.fit(training: &source, validation: &none)
        #expect(t.state.history.last!.loss < t.state.history.first!.loss)
        #expect(t.state.history.last!.accuracy > 0.9)
    }

    /// Opt-in: the real-data check (fashion-alexnet, real MNIST, Adam 1e-3, batch 128, 2 epochs ≥ 98%).
    @Test func realMNISTAccuracy() throws {
        guard ProcessInfo.processInfo.environment["DATAPREP_SLOW_TESTS"] == "1" else {
            print("skipping realMNISTAccuracy: set DATAPREP_SLOW_TESTS=1 (takes minutes; train-bench --mnist-accuracy reports the same)")
            return
        }
        guard let path = TestPaths.sharedData("mnist") else { return }
        let data = try LoadedDataset.load(path: path)
        let net = try Network(spec: ModelPreset.fashionAlexnet.spec, input: ModelPreset.fashionAlexnet.input, seed: 0, threads: 2)
        let t = try Trainer(network: net, config: TrainingConfig(epochs: 2, batchSize: 128, optimizer: OptimizerConfig(kind: .adam),
                                                                 seed: 0, loss: .sparseCategoricalCrossEntropy))
        var train = ArrayBatchSource(dataset: data.splits["train"]!, shuffleSeed: 0)
        var test: ArrayBatchSource? = ArrayBatchSource(dataset: data.splits["test"]!)
        _ = try t.fit(training: &train, validation: &test)
        #expect(t.state.history.last!.validationAccuracy! >= 0.98)
    }
}
