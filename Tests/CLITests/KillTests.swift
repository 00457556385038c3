import DataPrep
import Foundation
import Testing
import TestSupport

/// SIGKILL at random moments: `split`, `merge-cifar` and `train` are killed after a delay drawn
/// from a seeded generator over 0…1.2× the command's uninterrupted duration, 20 times each
/// (`DATAPREP_KILL_ITERATIONS` overrides). After every kill the output is either absent or
/// complete and byte-identical to an uninterrupted run, with nothing else beside it but hidden
/// staging leftovers; rerunning (train: `--resume RUN` when a checkpoint exists, else
/// `--overwrite`) then gives
/// exactly the uninterrupted output and removes the leftovers.
@Suite(.serialized) struct KillTests {
    static let repo = TestPaths.repositoryRoot

    @Test func splitIsNeverVisibleHalfWritten() throws {
        let source = try Robustness.pngFolder(count: 150)
        defer { ScratchFolder.remove(source) }
        try killLoop(["split", source, "--ratios", "0.8,0.1,0.1", "--resize", "12x12", "--format", "png,idx,cifar,wds", "--seed", "3",
                      "--threads", "1", "--no-progress", "--out", "out"], seed: 1)
    }

    @Test func mergeCIFARIsNeverVisibleHalfWritten() throws {
        try killLoop(["merge-cifar", "--cifar10", Self.repo + "/Fixtures/cifar/cifar-10-binary.tar.gz",
                      "--cifar100", Self.repo + "/Fixtures/cifar/cifar-100-binary.tar.gz", "--superclass", "non-insect_invertebrates",
                      "--balance", "oversample", "--format", "png,idx,cifar,wds", "--seed", "4", "--threads", "1", "--no-progress",
                      "--out", "out"], seed: 2)
    }

    /// Kills `arguments` (which write `out` in the working folder) at seeded random moments.
    func killLoop(_ arguments: [String], seed: UInt64) throws {
        let referenceDir = try ScratchFolder.make("kill-reference")
        defer { ScratchFolder.remove(referenceDir) }
        var first: CommandResult?
        let duration = try Robustness.timed { first = try Robustness.run(arguments, in: referenceDir) }
        #expect(first?.status == 0, "\(first?.stderr ?? "")")
        let reference = try ScratchFolder.digests(referenceDir + "/out")
        try #require(reference["dataset.json"] != nil)

        var generator = SeededGenerator(seed: seed)
        var interrupted = 0, absent = 0
        let iterations = Robustness.killIterations
        for iteration in 0..<iterations {
            let dir = try ScratchFolder.make("kill")
            defer { ScratchFolder.remove(dir) }
            let delay = generator.nextDouble() * 1.2 * duration
            if try Robustness.runAndKill(arguments, in: dir, after: delay) { interrupted += 1 }
            // Absent or complete: never a partial dataset at `out`, nothing visible beside it.
            #expect(try Robustness.unexpectedEntries(in: dir, allowed: ["out"]) == [], "iteration \(iteration), killed at \(delay) s")
            if FileIO.exists(dir + "/out") {
                #expect(try ScratchFolder.digests(dir + "/out") == reference, "iteration \(iteration): partial output after a kill at \(delay) s")
            } else {
                absent += 1
            }
            let again = try Robustness.run(arguments, in: dir)
            #expect(again.status == 0, "iteration \(iteration): \(again.stderr)")
            #expect(try ScratchFolder.digests(dir + "/out") == reference, "iteration \(iteration): rerun differs")
            #expect(try FileIO.listAll(dir) == ["out"], "iteration \(iteration): staging leftovers not cleaned")
        }
        print("\(arguments[0]): \(iterations) kills over \(String(format: "%.2f", duration)) s runs; \(interrupted) landed mid-run, \(absent) left no output")
        #expect(interrupted > 0)
    }

    static let trainSpec = "conv 4 3 same relu, maxpool 2, flatten, dense 10 softmax"
    static let runFiles: Set<String> = ["last", "best", "history.csv", "history.json", "curves.png", "curves.svg", "report.html"]
    static let checkpointFiles = [CheckpointFiles.infoFile, CheckpointFiles.modelFile, CheckpointFiles.optimizerFile]

    /// A killed run resumes from its last complete epoch (SIGKILL leaves no mid-epoch checkpoint)
    /// and ends bit-identical to an uninterrupted run: weights, optimizer slots, history, and the
    /// checkpoints' JSON, all but the wall-time fields (`Robustness.timingKeys`).
    @Test func trainResumesToTheUninterruptedResult() throws {
        let arguments = ["train", Self.repo + "/Fixtures/idx/mnist", "--model", Self.trainSpec, "--epochs", "6", "--batch-size", "4",
                         "--seed", "5", "--threads", "1", "--no-progress", "--out", "run"]
        let referenceDir = try ScratchFolder.make("kill-train-reference")
        defer { ScratchFolder.remove(referenceDir) }
        var first: CommandResult?
        let duration = try Robustness.timed { first = try Robustness.run(arguments, in: referenceDir) }
        #expect(first?.status == 0, "\(first?.stderr ?? "")")
        let reference = try Robustness.comparableTree(referenceDir + "/run")
        try #require(reference["last/model.safetensors"] != nil && reference["best/optimizer.safetensors"] != nil)

        var generator = SeededGenerator(seed: 3)
        var interrupted = 0, resumed = 0
        let iterations = Robustness.killIterations
        for iteration in 0..<iterations {
            let dir = try ScratchFolder.make("kill-train")
            defer { ScratchFolder.remove(dir) }
            let delay = generator.nextDouble() * 1.2 * duration
            if try Robustness.runAndKill(arguments, in: dir, after: delay) { interrupted += 1 }
            let run = dir + "/run"
            #expect(try Robustness.unexpectedEntries(in: dir, allowed: ["run"]) == [])
            if FileIO.exists(run) {
                #expect(try Robustness.unexpectedEntries(in: run, allowed: Self.runFiles) == [], "iteration \(iteration)")
                try expectConsistentCheckpoints(run, iteration: iteration)
            }
            // Resume when any checkpoint exists (resume picks the newest complete one of last/ and
            // best/); a run folder without one (killed before its first save) must be replaced
            // explicitly, since `train --out` refuses an earlier run.
            let hasCheckpoint = ["last", "best"].contains { FileIO.exists(run + "/\($0)/" + CheckpointFiles.infoFile) }
            let rerun = hasCheckpoint
                ? ["train", Self.repo + "/Fixtures/idx/mnist", "--resume", "run", "--threads", "1", "--no-progress"]
                : arguments + ["--overwrite"]
            if hasCheckpoint { resumed += 1 }
            let again = try Robustness.run(rerun, in: dir)
            #expect(again.status == 0, "iteration \(iteration): \(again.stderr)")
            #expect(try Robustness.comparableTree(run) == reference, "iteration \(iteration): killed at \(delay) s, \(hasCheckpoint ? "resumed" : "rerun") result differs")
        }
        print("train: \(iterations) kills over \(String(format: "%.2f", duration)) s runs; \(interrupted) landed mid-run, \(resumed) resumed from a checkpoint")
        #expect(interrupted > 0)
    }

    /// Every checkpoint folder present holds exactly its three files, and the history on disk
    /// has the rows of `last/` or one more (it is written just before `last/` is swapped in).
    func expectConsistentCheckpoints(_ run: String, iteration: Int) throws {
        for folder in ["last", "best"] where FileIO.exists(run + "/" + folder) {
            #expect(try FileIO.listAll(run + "/" + folder) == Self.checkpointFiles.sorted(), "iteration \(iteration): \(folder)/")
        }
        guard FileIO.exists(run + "/last") else { return }
        let info = try #require(try JSONSerialization.jsonObject(with: Data(FileIO.read(run + "/last/" + CheckpointFiles.infoFile))) as? [String: Any])
        let epochs = try #require((info["state"] as? [String: Any])?["history"] as? [Any]).count
        let history = try #require(try JSONSerialization.jsonObject(with: Data(FileIO.read(run + "/history.json"))) as? [Any])
        #expect(history.count == epochs || history.count == epochs + 1, "iteration \(iteration): history \(history.count) rows, last/ at epoch \(epochs)")
    }
}

/// The checkpoint file names, restated so this test target need not import Train.
enum CheckpointFiles {
    static let infoFile = "checkpoint.json"
    static let modelFile = "model.safetensors"
    static let optimizerFile = "optimizer.safetensors"
}
