import Foundation
import Testing
import TestSupport

/// `dataprep train` on the MNIST fixture, run as a user would.
@Suite struct TrainCommandTests {
    func temporaryRun() -> String { NSTemporaryDirectory() + "dataprep-train-\(getpid())-\(UInt32.random(in: 0...UInt32.max))" }

    static let spec = "conv 4 3 same relu, maxpool 2, flatten, dense 10 softmax"

    @Test func trainsWritesCheckpointsAndHistoryAndResumes() throws {
        let run = temporaryRun()
        defer { try? FileManager.default.removeItem(atPath: run) }
        let result = try CommandRunner.run(["train", "Fixtures/idx/mnist", "--model", Self.spec, "--epochs", "2", "--batch-size", "8",
                                            "--seed", "5", "--threads", "2", "--out", run, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(json["stopReason"] as? String == "completed")
        #expect((json["history"] as? [Any])?.count == 2)
        // No val split in the fixture: 0.1 of its 20 training samples are held out, stratified and seeded.
        #expect(result.stderr.contains("on 18 samples, validating on 2 samples carved from train (fraction 0.1, stratified by class, seed 5)"))
        for file in ["last/model.safetensors", "last/checkpoint.json", "last/optimizer.safetensors", "best/model.safetensors",
                     "history.csv", "history.json"] {
            #expect(FileManager.default.fileExists(atPath: run + "/" + file), "\(file)")
        }
        let csv = try String(contentsOfFile: run + "/history.csv", encoding: .utf8)
        #expect(csv.hasPrefix("epoch,learning_rate,loss,accuracy,val_loss,val_accuracy"))
        #expect(csv.split(separator: "\n").count == 3)

        // Resuming to 3 epochs equals training 3 epochs straight.
        let resumed = try CommandRunner.run(["train", "Fixtures/idx/mnist", "--resume", run, "--epochs", "3", "--json", "--threads", "1"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let straightRun = temporaryRun()
        defer { try? FileManager.default.removeItem(atPath: straightRun) }
        let straight = try CommandRunner.run(["train", "Fixtures/idx/mnist", "--model", Self.spec, "--epochs", "3", "--batch-size", "8",
                                              "--seed", "5", "--out", straightRun, "--json"])
        #expect(straight.status == 0, "\(straight.stderr)")
        let a = try Data(contentsOf: URL(fileURLWithPath: run + "/last/model.safetensors"))
        let b = try Data(contentsOf: URL(fileURLWithPath: straightRun + "/last/model.safetensors"))
        #expect(a == b)
    }

    @Test func printsTheSeedWhenNoneIsGiven() throws {
        let run = temporaryRun()
        defer { try? FileManager.default.removeItem(atPath: run) }
        let result = try CommandRunner.run(["train", "Fixtures/idx/mnist", "--model", Self.spec, "--epochs", "1", "--out", run])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("seed: "))
        #expect(result.stdout.contains("epoch 1/1"))
    }

    @Test func usageAndDataErrors() throws {
        #expect(try CommandRunner.run(["train", "Fixtures/idx/mnist", "--out", "/tmp/x"]).status == 64)        // no model
        #expect(try CommandRunner.run(["train", "Fixtures/idx/mnist", "--model", "mlp", "--out", "/tmp/x", "--lr-schedule", "warp"]).status == 64)
        #expect(try CommandRunner.run(["train", "Fixtures/idx/mnist", "--model", "mlp", "--out", "/tmp/x", "--nesterov"]).status == 64)
        let run = temporaryRun()
        defer { try? FileManager.default.removeItem(atPath: run) }
        let wrongShape = try CommandRunner.run(["train", "Fixtures/idx/mnist", "--model", "cifar-cnn", "--out", run])
        #expect(wrongShape.status == 1)
        #expect(wrongShape.stderr.contains("32x32x3"))
        let wrongClasses = try CommandRunner.run(["train", "Fixtures/idx/mnist", "--model", "flatten, dense 3 softmax", "--out", run])
        #expect(wrongClasses.status == 1)
        #expect(wrongClasses.stderr.contains("3 outputs"))
        let noCheckpoint = try CommandRunner.run(["train", "Fixtures/idx/mnist", "--resume", run + "-missing"])
        #expect(noCheckpoint.status == 1)
        #expect(noCheckpoint.stderr.contains("no checkpoint to resume"))
    }

    @Test func ctrlCSavesACheckpointAndExits130() throws {
        let run = temporaryRun()
        defer { try? FileManager.default.removeItem(atPath: run) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandRunner.binary)
        process.arguments = ["train", "Fixtures/idx/mnist", "--model", "conv 64 3 same relu, conv 64 3 same relu, flatten, dense 10 softmax",
                             "--epochs", "1000", "--batch-size", "4", "--seed", "1", "--out", run]
        process.currentDirectoryURL = URL(fileURLWithPath: TestPaths.repositoryRoot)
        let err = Pipe()
        process.standardError = err
        process.standardOutput = Pipe()
        try process.run()
        // Wait for the first finished epoch, then interrupt.
        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: run + "/history.json") && Date() < deadline { usleep(50_000) }
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 130, "\(stderr)")
        #expect(stderr.contains("checkpoint saved"))
        #expect(FileManager.default.fileExists(atPath: run + "/last/checkpoint.json"))
    }
}
