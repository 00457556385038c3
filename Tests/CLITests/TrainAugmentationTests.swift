import Foundation
import Testing
import TestSupport

/// `dataprep train` with Keras-style augmentation flags: the pipeline is recorded with the run,
/// changes what the model sees, and keeps runs reproducible across threads and resumes.
@Suite struct TrainAugmentationTests {
    static let spec = "conv 4 3 same relu, maxpool 2, flatten, dense 10 softmax"
    static let augmentation = ["--rotation-range", "20", "--width-shift-range", "0.1", "--zoom-range", "0.1", "--horizontal-flip"]

    func temporaryRun() -> String { NSTemporaryDirectory() + "dataprep-train-aug-\(getpid())-\(UInt32.random(in: 0...UInt32.max))" }

    func train(_ extra: [String], out: String) throws -> Data {
        let result = try CommandRunner.run(["train", "Fixtures/idx/mnist", "--model", Self.spec, "--batch-size", "8", "--seed", "5",
                                            "--out", out, "--no-progress"] + extra)
        #expect(result.status == 0, "\(result.stderr)")
        return try Data(contentsOf: URL(fileURLWithPath: out + "/last/model.safetensors"))
    }

    @Test func augmentedRunsAreReproducibleAcrossThreadsAndResume() throws {
        let runs = (0..<4).map { _ in temporaryRun() }
        defer { for run in runs { try? FileManager.default.removeItem(atPath: run) } }
        let plain = try train(["--epochs", "2"], out: runs[0])
        let augmented = try train(["--epochs", "2", "--threads", "2"] + Self.augmentation, out: runs[1])
        let oneThread = try train(["--epochs", "2", "--threads", "1"] + Self.augmentation, out: runs[2])
        // Augmentation changes the pixels the model sees, so the weights differ from a plain run…
        #expect(augmented != plain)
        // …but not with the thread count: sample i of epoch e gets the same pixels regardless.
        #expect(augmented == oneThread)
        let saved = try String(contentsOfFile: runs[1] + "/augmentation.json", encoding: .utf8)
        #expect(saved.contains("rotation") && saved.contains("horizontalFlip"))
        #expect(!FileManager.default.fileExists(atPath: runs[0] + "/augmentation.json"))

        // Stop after 1 epoch, resume to 2 (without repeating the flags): identical to 2 straight epochs.
        _ = try train(["--epochs", "1"] + Self.augmentation, out: runs[3])
        let resumed = try CommandRunner.run(["train", "Fixtures/idx/mnist", "--resume", runs[3], "--epochs", "2", "--no-progress"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: runs[3] + "/last/model.safetensors")) == augmented)
    }

    @Test func badAugmentationFlagIsAUsageError() throws {
        let result = try CommandRunner.run(["train", "Fixtures/idx/mnist", "--model", Self.spec, "--out", temporaryRun(),
                                            "--zoom-range", "-3"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("zoom"))
    }
}
