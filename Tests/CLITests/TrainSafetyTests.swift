import Foundation
import Testing
import TestSupport

/// What `train` and `evaluate` refuse, stop on and record (issue 13): output folders checked
/// before training, non-finite losses, resuming after a save that stopped half-way, flushed
/// epoch lines, the validation split, the penalty in every reported loss, and the run's
/// metadata. Each test runs the built binary and checks exit status, message and disk.
@Suite struct TrainSafetyTests {
    static let spec = "conv 4 3 same relu, maxpool 2, flatten, dense 10 softmax"
    static let mnist = "Fixtures/idx/mnist"

    func scratch(_ label: String) throws -> String { try ScratchFolder.make(label) }

    func train(_ out: String, _ extra: [String] = [], epochs: Int = 1) throws -> CommandResult {
        try CommandRunner.run(["train", Self.mnist, "--model", Self.spec, "--epochs", "\(epochs)", "--batch-size", "4", "--seed", "5",
                               "--threads", "1", "--no-progress", "--out", out] + extra)
    }

    func json(_ path: String) throws -> Any { try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) }

    func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    // Item 7: --out is checked before anything is trained.
    @Test func outputFolderIsCheckedBeforeTraining() throws {
        let dir = try scratch("train-out")
        defer { ScratchFolder.remove(dir) }
        // A user's folder with a best/ of its own: refused at once, even with --overwrite; untouched.
        try FileManager.default.createDirectory(atPath: dir + "/user/best", withIntermediateDirectories: true)
        try Data("mine".utf8).write(to: URL(fileURLWithPath: dir + "/user/notes.txt"))
        for extra in [[], ["--overwrite"]] {
            let refused = try train(dir + "/user", extra)
            #expect(refused.status == 1, "\(refused.stderr)")
            #expect(refused.stderr.contains("user: exists and is not a training run (it holds best, notes.txt): refusing to write into it"))
            #expect(!refused.stderr.contains("training model") && !refused.stdout.contains("epoch 1/1"))
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/user").sorted() == ["best", "notes.txt"])
        }
        // An earlier run: refused (history untouched) unless --overwrite, which replaces it.
        #expect(try train(dir + "/run").status == 0)
        let history = try bytes(dir + "/run/history.csv")
        try Data().write(to: URL(fileURLWithPath: dir + "/run/eval-marker"))
        let again = try train(dir + "/run", ["--lr", "0.01"])
        #expect(again.status == 1)
        #expect(again.stderr.contains("run: holds an earlier run: continue it with --resume \(dir)/run, replace it with --overwrite"))
        #expect(try bytes(dir + "/run/history.csv") == history)
        let replaced = try train(dir + "/run", ["--lr", "0.01", "--overwrite"])
        #expect(replaced.status == 0, "\(replaced.stderr)")
        #expect(try bytes(dir + "/run/history.csv") != history && !FileManager.default.fileExists(atPath: dir + "/run/eval-marker"))
        // --overwrite and --resume of the same folder contradict each other: usage error.
        let both = try CommandRunner.run(["train", Self.mnist, "--resume", dir + "/run", "--overwrite"])
        #expect(both.status == 64 && both.stderr.contains("--overwrite starts the run over and --resume continues it"))
    }

    // Item 13: every numeric option is validated (finite, in range), negatives included.
    @Test func numericOptionsAreValidated() throws {
        let cases: [([String], String)] = [
            (["--lr", "-1"], "--lr must be > 0 and finite, got -1.0"),
            (["--lr", "inf"], "--lr must be > 0 and finite, got inf"),
            (["--l2", "nan"], "--l2 must be >= 0 and finite, got nan"),
            (["--l1", "-0.5"], "--l1 must be >= 0 and finite, got -0.5"),
            (["--momentum", "nan"], "--momentum must be in [0, 1), got nan"),
            (["--epochs", "-1"], "--epochs must be at least 1, got -1"),
            (["--val-split", "1.5"], "--val-split must be a split name, none, or a fraction between 0 and 1 (exclusive), got 1.5"),
        ]
        for (extra, message) in cases {
            let result = try CommandRunner.run(["train", Self.mnist, "--model", "mlp", "--out", "/nonexistent/x"] + extra)
            #expect(result.status == 64, "\(extra)")
            #expect(result.stderr.contains(message), "\(extra): \(result.stderr)")
        }
    }

    /// Item 13: a loss that becomes non-finite stops the run with exit 1, naming epoch and step;
    /// the checkpoints of the last finished epoch stay. SGD at 0.01, then ×1e35 from epoch 2
    /// on (`step:1:1e35`): the weights overflow during epoch 2 or 3.
    @Test func nonFiniteLossStopsAndKeepsTheLastGoodCheckpoint() throws {
        let dir = try scratch("train-nan")
        defer { ScratchFolder.remove(dir) }
        let result = try train(dir + "/run", ["--optimizer", "sgd", "--lr", "0.01", "--lr-schedule", "step:1:1e35"], epochs: 5)
        #expect(result.status == 1)
        let line = try #require(result.stderr.split(separator: "\n").first { $0.hasPrefix("error: ") })
        let match = try #require(line.firstMatch(of: /error: (training|validation) loss is -?(nan|inf) at epoch (\d+), step (\d+): the weights diverged/))
        let epoch = try #require(Int(match.output.3))
        #expect(epoch >= 2)
        // The run kept epoch − 1 finished epochs, in its history and in last/ (finite numbers:
        // the JSON encoder would have refused a NaN).
        let history = try #require(try json(dir + "/run/history.json") as? [[String: Any]])
        #expect(history.count == epoch - 1)
        let info = try #require(try json(dir + "/run/last/checkpoint.json") as? [String: Any])
        #expect(((info["state"] as? [String: Any])?["history"] as? [Any])?.count == epoch - 1)
        #expect(result.stderr.contains("stopped: the checkpoints of epoch \(epoch - 1) are kept in \(dir)/run/last"))
    }

    /// Item 15: a save that wrote best/ but not last/ (a full disk, a kill) is resumed from
    /// best/, said so, and ends where an uninterrupted run ends.
    @Test func resumeFallsBackToBestWhenLastIsMissing() throws {
        let dir = try scratch("train-resume-best")
        defer { ScratchFolder.remove(dir) }
        #expect(try train(dir + "/run").status == 0)
        try FileManager.default.removeItem(atPath: dir + "/run/last")
        let resumed = try CommandRunner.run(["train", Self.mnist, "--resume", dir + "/run", "--epochs", "2", "--threads", "1", "--no-progress"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stderr.contains("resuming \(dir)/run from best/ at epoch 2, batch 0 (seed 5) (passed over: last/: no checkpoint.json)"))
        #expect(try train(dir + "/straight", epochs: 2).status == 0)
        #expect(try bytes(dir + "/run/last/model.safetensors") == bytes(dir + "/straight/last/model.safetensors"))
        // No checkpoint at all: a clear error naming both places.
        for folder in ["last", "best"] { try FileManager.default.removeItem(atPath: dir + "/run/" + folder) }
        let none = try CommandRunner.run(["train", Self.mnist, "--resume", dir + "/run"])
        #expect(none.status == 1 && none.stderr.contains("no checkpoint to resume (last/: no checkpoint.json; best/: no checkpoint.json)"))
    }

    /// A checkpoint edited to a block size of 0 is a corrupt checkpoint naming its file, not a trap.
    @Test func resumingAZeroBlockSizeIsACorruptCheckpoint() throws {
        let dir = try scratch("train-resume-block0")
        defer { ScratchFolder.remove(dir) }
        #expect(try train(dir + "/run").status == 0)
        let info = dir + "/run/last/checkpoint.json"
        let text = try String(contentsOfFile: info, encoding: .utf8)
        #expect(text.contains("\"blockSize\" : 64"))
        try text.replacingOccurrences(of: "\"blockSize\" : 64", with: "\"blockSize\" : 0").write(toFile: info, atomically: true, encoding: .utf8)
        let resumed = try CommandRunner.run(["train", Self.mnist, "--resume", dir + "/run", "--epochs", "2", "--threads", "1", "--no-progress"])
        #expect(resumed.status == 1)
        #expect(resumed.stderr.contains(info) && resumed.stderr.contains("block size 0 must"), "\(resumed.stderr)")
    }

    /// Item 17: epoch lines reach a pipe as they are printed, not when the process exits.
    @Test func epochLinesAreFlushedToAPipe() throws {
        let dir = try scratch("train-flush")
        defer { ScratchFolder.remove(dir) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandRunner.binary)
        process.arguments = ["train", Self.mnist, "--model", Self.spec, "--epochs", "100000", "--batch-size", "4", "--seed", "1",
                             "--threads", "1", "--out", dir + "/run"]
        process.currentDirectoryURL = URL(fileURLWithPath: TestPaths.repositoryRoot)
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() }; process.waitUntilExit() }
        // availableData blocks until bytes arrive: the first epoch line, while training goes on.
        let first = String(decoding: out.fileHandleForReading.availableData, as: UTF8.self)
        #expect(first.hasPrefix("epoch 1/100000  loss "), "\(first)")
        // Block-buffered, the first bytes would come as one 4 KiB block (~37 epoch lines of
        // ~110 bytes); flushed per line, the reader wakes at the first and finds a few.
        #expect(first.utf8.count < 4096 && first.split(separator: "\n").count < 10, "\(first.utf8.count) bytes at once")
        #expect(process.isRunning)
        kill(process.processIdentifier, SIGINT)
    }

    /// Item 19: the default validation is a seeded carve, stated on stderr and in the
    /// checkpoint; `none` is honoured; `test` only when named, with a warning (EvaluateCommandTests).
    @Test func validationSplitIsCarvedFromTrainAndRecorded() throws {
        let dir = try scratch("train-val")
        defer { ScratchFolder.remove(dir) }
        let carved = try train(dir + "/carved", ["--val-split", "0.25"])
        #expect(carved.status == 0, "\(carved.stderr)")
        // round(0.25 × 20) = 5 of the fixture's 20 training samples.
        #expect(carved.stderr.contains("on 15 samples, validating on 5 samples carved from train (fraction 0.25, stratified by class, seed 5)"))
        let info = try #require(try json(dir + "/carved/best/checkpoint.json") as? [String: Any])
        let validation = try #require(info["validation"] as? [String: Any])
        #expect(validation["kind"] as? String == "carved" && validation["fraction"] as? Double == 0.25)
        #expect(validation["seed"] as? Int == 5 && validation["samples"] as? Int == 5 && validation["split"] as? String == "train")
        let none = try train(dir + "/none", ["--val-split", "none"])
        #expect(none.status == 0 && none.stderr.contains("on 20 samples, no validation (the best checkpoint follows the training loss)"))
        #expect(!none.stderr.contains("WARNING"))
        let history = try String(contentsOfFile: dir + "/none/history.csv", encoding: .utf8).split(separator: "\n")
        #expect(history[1].split(separator: ",", omittingEmptySubsequences: false)[4] == "")  // no val_loss
    }

    /// Item 4 through the CLI: history and `evaluate --json` give the loss with the penalty
    /// (Keras) and both parts; evaluating the checkpoint reproduces the run's val_loss.
    @Test func historyAndEvaluateReportDataLossAndPenalty() throws {
        let dir = try scratch("train-penalty")
        defer { ScratchFolder.remove(dir) }
        let result = try train(dir + "/run", ["--l2", "0.01", "--val-split", "test"], epochs: 2)
        #expect(result.status == 0, "\(result.stderr)")
        let csv = try String(contentsOfFile: dir + "/run/history.csv", encoding: .utf8).split(separator: "\n")
        #expect(csv[0] == "epoch,learning_rate,loss,accuracy,val_loss,val_accuracy,data_loss,val_data_loss,penalty,seconds,samples_per_second")
        let history = try #require(try json(dir + "/run/history.json") as? [[String: Any]])
        let last = try #require(history.last)
        let penalty = try #require(last["penalty"] as? Double), valLoss = try #require(last["validationLoss"] as? Double)
        let valData = try #require(last["validationDataLoss"] as? Double)
        #expect(penalty > 0 && abs(valLoss - (valData + penalty)) < 1e-12)
        #expect(try #require(last["loss"] as? Double) > (try #require(last["dataLoss"] as? Double)))
        let evaluated = try CommandRunner.run(["evaluate", dir + "/run/last", Self.mnist, "--json", "--no-progress"])
        #expect(evaluated.status == 0, "\(evaluated.stderr)")
        let metrics = try #require(JSONSerialization.jsonObject(with: Data(evaluated.stdout.utf8)) as? [String: Any])
        let loss = try #require(metrics["loss"] as? Double), dataLoss = try #require(metrics["dataLoss"] as? Double)
        #expect(metrics["penalty"] as? Double == penalty)
        #expect(abs(loss - (dataLoss + penalty)) < 1e-12 && abs(loss - valLoss) < 1e-5)
    }

    /// Item 18: evaluation folders are named after the data and the real split, and an earlier
    /// one is never overwritten silently.
    @Test func evaluationFoldersAreNamedAndNeverOverwrittenSilently() throws {
        let dir = try scratch("eval-out")
        defer { ScratchFolder.remove(dir) }
        #expect(try train(dir + "/run").status == 0)
        // The same digits under another name: two datasets, two folders.
        try FileManager.default.copyItem(atPath: TestPaths.repositoryRoot + "/" + Self.mnist, toPath: dir + "/digits")
        #expect(try CommandRunner.run(["evaluate", dir + "/run", Self.mnist, "--no-progress"]).status == 0)
        #expect(try CommandRunner.run(["evaluate", dir + "/run", dir + "/digits", "--no-progress"]).status == 0)
        for folder in ["eval-mnist-test", "eval-digits-test"] {
            #expect(FileManager.default.fileExists(atPath: dir + "/run/\(folder)/metrics.json"), "\(folder)")
        }
        let metrics = try bytes(dir + "/run/eval-mnist-test/metrics.json")
        let again = try CommandRunner.run(["evaluate", dir + "/run", Self.mnist, "--no-progress", "--batch-size", "3"])
        #expect(again.status == 1)
        #expect(again.stderr.contains("eval-mnist-test: holds an earlier evaluation: replace it with --overwrite, or write elsewhere with --out"))
        #expect(try bytes(dir + "/run/eval-mnist-test/metrics.json") == metrics)
        #expect(try CommandRunner.run(["evaluate", dir + "/run", Self.mnist, "--no-progress", "--overwrite"]).status == 0)
        // --out at a folder that is not an evaluation: refused even with --overwrite.
        let notOurs = try CommandRunner.run(["evaluate", dir + "/run", Self.mnist, "--no-progress", "--overwrite", "--out", dir + "/digits"])
        #expect(notOurs.status == 1 && notOurs.stderr.contains("is not an evaluation folder"))
        // A lone batch file's only split is `all`, and is labelled so.
        let cifar = dir + "/cifar"
        let trained = try CommandRunner.run(["train", "Fixtures/cifar/cifar-10-batches-bin", "--model", "flatten, dense 10 softmax",
                                             "--epochs", "1", "--seed", "1", "--no-progress", "--out", cifar])
        #expect(trained.status == 0, "\(trained.stderr)")
        let batch = try CommandRunner.run(["evaluate", cifar, "Fixtures/cifar/cifar-10-batches-bin/test_batch.bin", "--json", "--no-progress"])
        #expect(batch.status == 0, "\(batch.stderr)")
        let all = try #require(JSONSerialization.jsonObject(with: Data(batch.stdout.utf8)) as? [String: Any])
        #expect(all["split"] as? String == "all")
        #expect(FileManager.default.fileExists(atPath: cifar + "/eval-test_batch-all/metrics.json"))
    }

    /// Item 20: the parameter count and the augmentation in checkpoint.json and report.html;
    /// `model summary` of a run; completion of paths and presets; the completion flag in --help.
    @Test func runMetadataSummaryAndCompletion() throws {
        let dir = try scratch("train-meta")
        defer { ScratchFolder.remove(dir) }
        #expect(try train(dir + "/run", ["--rotation-range", "10"]).status == 0)
        let info = try #require(try json(dir + "/run/best/checkpoint.json") as? [String: Any])
        // conv 4 3 on 1 channel: 3·3·1·4 + 4 = 40; dense 14·14·4 → 10: 784·10 + 10 = 7850.
        #expect(info["parameters"] as? Int == 7890)
        let augmentation = try #require(info["augmentation"] as? [String: Any])
        #expect((augmentation["ops"] as? [[String: Any]])?.first?["op"] as? String == "rotation")
        let html = try String(contentsOfFile: dir + "/run/report.html", encoding: .utf8)
        #expect(html.contains("<dt>Parameters</dt><dd>7890 (trainable 7890, non-trainable 0)</dd>"))
        #expect(html.contains("<dt>Augmentation</dt><dd>{&quot;degrees&quot;:10,&quot;op&quot;:&quot;rotation&quot;}</dd>"))
        #expect(html.contains("<dt>Validation</dt><dd>2 samples carved from train (fraction 0.1, stratified by class, seed 5)</dd>"))
        let summary = try CommandRunner.run(["model", "summary", dir + "/run"])
        #expect(summary.status == 0, "\(summary.stderr)")
        #expect(summary.stdout.contains("conv2d (Conv2D)") && summary.stdout.contains("(None, 28, 28, 4)") && summary.stdout.contains("Total params: 7,890"))
        let script = try CommandRunner.run(["--generate-completion-script", "bash"])
        #expect(script.status == 0)
        #expect(script.stdout.contains("'fashion-alexnet'$'\\n''cifar-cnn'$'\\n''dogs-cats-cnn'$'\\n''mlp'"))
        #expect(script.stdout.contains("__dataprep_add_completions -d") && script.stdout.contains("__dataprep_add_completions -f"))
        #expect(try CommandRunner.run(["--help"]).stdout.contains("--generate-completion-script bash|zsh|fish"))
    }
}
