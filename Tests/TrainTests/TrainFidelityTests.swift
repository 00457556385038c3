import DataPrep
import Foundation
import Testing
import TestSupport
@testable import Train

/// Keras's reporting of regularized losses, the non-finite-loss stop, the carved validation
/// split and the choice of checkpoint to resume.
@Suite struct TrainFidelityTests {
    static let spec = "conv 4 3 same relu l2=0.01, maxpool 2, flatten, dense 10 softmax l1=0.001 l2=0.02"

    func trainer(spec: String = Self.spec, epochs: Int = 2, optimizer: OptimizerConfig = OptimizerConfig(kind: .adam, learningRate: 0.01)) throws -> Trainer {
        let net = try Network(spec: ModelSpec(parsing: spec), input: TensorShape(height: 28, width: 28, channels: 1), seed: 3)
        return try Trainer(network: net, config: TrainingConfig(epochs: epochs, batchSize: 5, optimizer: optimizer, seed: 3,
                                                                  loss: .sparseCategoricalCrossEntropy))
    }

    func mnist() throws -> SplitDataset { try LoadedDataset.load(path: TestPaths.fixture("idx/mnist")).splits }

    /// Keras (keras/src/trainers/trainer.py `compute_loss`, used by `test_step` for evaluate and
    /// val_loss) adds `model.losses` to the compiled loss; for kernel regularizers these are
    /// `l1 * sum(|w|) + l2 * sum(w**2)` per regularized trainable kernel (regularizers.py).
    /// So val_loss − val_data_loss must equal that sum over the weights after the epoch.
    @Test func validationLossAddsThePenaltyAsKerasDoes() throws {
        let t = try trainer()
        let splits = try mnist()
        var training = ArrayBatchSource(dataset: splits["train"]!, shuffleSeed: 3)
        var validation: ArrayBatchSource? = ArrayBatchSource(dataset: splits["test"]!)
        _ = try t.fit(training: &training, validation: &validation)
        let record = try #require(t.state.history.last)
        let conv = t.network.values("layers.0.conv.kernel").map(Double.init)
        let dense = t.network.values("layers.3.dense.kernel").map(Double.init)
        // The formula, written out: 0.01 Σ w² (conv) + 0.001 Σ |w| + 0.02 Σ w² (dense).
        let keras = 0.01 * conv.map { $0 * $0 }.reduce(0, +) + 0.001 * dense.map(abs).reduce(0, +) + 0.02 * dense.map { $0 * $0 }.reduce(0, +)
        let penalty = try #require(record.penalty)
        #expect(abs(penalty - keras) < 1e-6 * keras, "penalty \(penalty), formula \(keras)")
        let validationLoss = try #require(record.validationLoss), dataLoss = try #require(record.validationDataLoss)
        #expect(abs((validationLoss - dataLoss) - keras) < 1e-6 * keras)
        // The data part is the plain inference loss over the validation split.
        var again = ArrayBatchSource(dataset: splits["test"]!)
        #expect(try t.evaluate(&again).loss == dataLoss)
        // Training loss carries the penalty too (mean over the epoch's steps); dataLoss does not.
        let trainData = try #require(record.dataLoss)
        #expect(record.loss > trainData && record.loss - trainData < 2 * keras)
    }

    /// Keras collects regularization losses over `trainable_weights` only
    /// (`Layer._get_regularization_losses`): a frozen regularized kernel adds nothing.
    @Test func frozenKernelsAddNoPenalty() throws {
        let free = try trainer(spec: "flatten, dense 10 softmax l2=0.5")
        let frozen = try trainer(spec: "flatten, dense 10 softmax l2=0.5 frozen")
        let w = free.network.values("layers.1.dense.kernel").map(Double.init)
        #expect(abs(free.penalty - 0.5 * w.map { $0 * $0 }.reduce(0, +)) < 1e-9 * free.penalty)
        #expect(frozen.penalty == 0)
    }

    /// A diverging run stops at the first non-finite loss, naming epoch and step, and the
    /// step that produced it is not applied. Kernel weights of 1e20 give equal logits (a
    /// finite data loss, log 10) but a Float square of 1e40 = inf in the L2 penalty: loss inf.
    @Test func nonFiniteLossStopsWithEpochAndStep() throws {
        let t = try trainer(spec: "flatten, dense 10 softmax l2=1", epochs: 5, optimizer: OptimizerConfig(kind: .sgd, learningRate: 0.01))
        t.network.setValues("layers.1.dense.kernel", [Float](repeating: 1e20, count: 784 * 10))
        var training = ArrayBatchSource(dataset: try mnist()["train"]!, shuffleSeed: 3)
        var none: ArrayBatchSource? = nil
        var epochs = 0
        #expect(throws: TrainError.nonFiniteLoss(what: "training loss", value: .infinity, epoch: 1, step: 1)) {
            try t.fit(training: &training, validation: &none, onEpoch: { _, _ in epochs += 1 })
        }
        #expect(epochs == 0 && t.state.step == 0 && t.state.history.isEmpty)
        #expect(t.network.values("layers.1.dense.kernel").allSatisfy { $0 == 1e20 })
        let message = "\(TrainError.nonFiniteLoss(what: "training loss", value: .nan, epoch: 2, step: 7))"
        #expect(message.hasPrefix("training loss is nan at epoch 2, step 7: the weights diverged"))
    }

    @Test func validationChoiceParsing() throws {
        #expect(try ValidationChoice(parsing: nil) == .automatic)
        #expect(try ValidationChoice(parsing: "none") == ValidationChoice.none)
        #expect(try ValidationChoice(parsing: "0.25") == .carve(0.25))
        #expect(try ValidationChoice(parsing: "val") == .named("val"))
        for bad in ["0", "1", "1.5", "-0.1", "nan", "inf"] {
            #expect(throws: TrainError.self) { try ValidationChoice(parsing: bad) }
        }
    }

    /// The carve: round(f × n) samples, shared among classes by largest remainder (ties to the
    /// lower class), a class never losing its last sample, and the same indices for a seed.
    @Test func carveIsStratifiedSeededAndDisjoint() throws {
        // 3 classes of 10, 6, 1 samples, interleaved.
        let labels: [Int32] = (0..<10).map { _ in 0 } + (0..<6).map { _ in 1 } + [2]
        let (kept, held) = ValidationSplit.carve(labels: labels, classes: 3, fraction: 0.2, seed: 9)
        // round(0.2 × 17) = 3: floors 2 (class 0) + 1 (class 1, 1.2) = 3; class 2 keeps its only sample.
        #expect(held.count == 3 && kept.count == 14)
        #expect(held.map { labels[$0] }.sorted() == [0, 0, 1])
        #expect(Set(kept).isDisjoint(with: held) && Set(kept + held) == Set(0..<17))
        #expect(held == held.sorted() && kept == kept.sorted())
        #expect(ValidationSplit.carve(labels: labels, classes: 3, fraction: 0.2, seed: 9).held == held)
        let others = (10..<30).map { ValidationSplit.carve(labels: labels, classes: 3, fraction: 0.2, seed: UInt64($0)).held }
        #expect(others.contains { $0 != held }, "the seed must choose the samples")
        // The MNIST fixture: 20 samples, 2 per digit: 0.1 holds out 2 (the two lowest classes, ties).
        let splits = try mnist()
        let carved = try ValidationSplit(splits: splits, train: "train", choice: .automatic, seed: 5)
        #expect(carved.source == ValidationSource(kind: .carved, split: "train", fraction: 0.1, seed: 5, samples: 2))
        #expect(carved.validation?.labels.sorted() == [0, 1] && carved.train.count == 18 && carved.warning == nil)
        let test = try ValidationSplit(splits: splits, train: "train", choice: .named("test"), seed: 5)
        #expect(test.validation?.count == 10 && test.train.count == 20 && test.warning?.hasPrefix("WARNING: validating on the test split") == true)
        #expect(throws: TrainError.self) { try ValidationSplit(splits: splits, train: "train", choice: .named("val"), seed: 5) }
        let none = try ValidationSplit(splits: splits, train: "train", choice: .none, seed: 5)
        #expect(none.validation == nil && none.source.kind == .none)
    }

    /// A carve from a mapped training split (a `split` output's x.npy) with a spill folder holds
    /// the same samples, but both parts are mapped from unlinked spill files, not copied into
    /// memory; the folder is left empty.
    @Test func carvingAMappedSplitSpillsTheSameSamples() throws {
        let memory = try mnist()
        let folder = try ScratchFolder.make("carve-spill")
        defer { ScratchFolder.remove(folder) }
        let train = try #require(memory["train"])
        let spill = try SpillFile(directory: folder)
        try train.storage.withUnsafeBufferPointer { try spill.append(UnsafeRawBufferPointer($0)) }
        let mappedTrain = ImageDataset(height: train.height, width: train.width, channels: train.channels,
                                       storage: PixelStorage(mapping: try spill.mapped(), offset: 0, count: spill.count),
                                       labels: train.labels, classNames: train.classNames)
        let mapped = SplitDataset(splits: [("train", mappedTrain)])
        let inMemory = try ValidationSplit(splits: memory, train: "train", choice: .carve(0.25), seed: 3)
        let spilled = try ValidationSplit(splits: mapped, train: "train", choice: .carve(0.25), seed: 3, spillDirectory: folder)
        #expect(spilled.train == inMemory.train && spilled.validation == inMemory.validation)
        #expect(spilled.train.storage.isMapped && spilled.validation?.storage.isMapped == true)
        #expect(spilled.source == inMemory.source)
        #expect(try FileIO.listAll(folder).isEmpty)
    }

    /// `--resume` continues from the newest complete checkpoint: `best/` when `last/` is missing,
    /// unreadable or older, and says what it passed over.
    @Test func resumePicksTheNewestCompleteCheckpoint() throws {
        let run = try ScratchFolder.make("resume-point")
        defer { ScratchFolder.remove(run) }
        let t = try trainer(epochs: 1)
        var training = ArrayBatchSource(dataset: try mnist()["train"]!, shuffleSeed: 3)
        var none: ArrayBatchSource? = nil
        let folder = try TrainingRun(directory: run, classNames: (0..<10).map(String.init), normalization: .unit)
        _ = try t.fit(training: &training, validation: &none, onEpoch: { _, best in try folder.save(t, best: best) })
        #expect(try RunFolder.newestCheckpoint(in: run).directory == run + "/last")  // a tie: last/
        // best/ one step ahead of last/ (a save that stopped between the two).
        var info = try Checkpoint.loadInfo(from: run + "/best")
        info.state!.step += 1
        try FileIO.writeAtomically(Array(try JSONEncoder().encode(info)), to: run + "/best/checkpoint.json")
        let ahead = try RunFolder.newestCheckpoint(in: run)
        #expect(ahead.directory == run + "/best" && ahead.passedOver == ["last/: older (step 4)"])
        try FileIO.writeAtomically(Array("{".utf8), to: run + "/best/checkpoint.json")
        let corrupt = try RunFolder.newestCheckpoint(in: run)
        #expect(corrupt.directory == run + "/last" && corrupt.passedOver.first?.hasPrefix("best/: ") == true)
        try FileIO.removeTree(run + "/last")
        #expect(throws: TrainError.self) { try RunFolder.newestCheckpoint(in: run) }
    }

    @Test func outputFolderContents() throws {
        let root = try ScratchFolder.make("run-folder")
        defer { ScratchFolder.remove(root) }
        #expect(try RunFolder.contents(of: root + "/absent") == .absent)
        try FileIO.makeDirectories(root + "/staging/.last.partial-123")
        #expect(try RunFolder.contents(of: root + "/staging") == .empty)
        try FileIO.makeDirectories(root + "/user/best")
        #expect(try RunFolder.contents(of: root + "/user") == .other(entries: ["best"]))
        #expect(throws: TrainError.outputRefused(path: root + "/user", reason: "exists and is not a training run (it holds best): refusing to write into it; choose another --out")) {
            try RunFolder.checkNewRun(at: root + "/user", overwrite: true)
        }
        try FileIO.makeDirectories(root + "/run")
        try FileIO.writeAtomically(Array("[]".utf8), to: root + "/run/history.json")
        #expect(try RunFolder.contents(of: root + "/run") == .run)
        #expect(throws: TrainError.self) { try RunFolder.checkNewRun(at: root + "/run", overwrite: false) }
        try RunFolder.checkNewRun(at: root + "/run", overwrite: true)
        // Killed between the two history writes (csv first): still a run that --overwrite replaces.
        try FileIO.makeDirectories(root + "/killed")
        try FileIO.writeAtomically(Array("epoch\n".utf8), to: root + "/killed/history.csv")
        #expect(try RunFolder.contents(of: root + "/killed") == .run)
        try RunFolder.checkNewRun(at: root + "/killed", overwrite: true)
        try RunFolder.clear(root + "/run")
        try RunFolder.clear(root + "/user")  // not a run: left alone
        #expect(!FileIO.exists(root + "/run") && FileIO.exists(root + "/user/best"))
    }
}
