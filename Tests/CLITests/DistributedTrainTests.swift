import Foundation
import Testing
import TestSupport

/// `mpirun -np N dataprep train|fine-tune …`: the run N ranks write equals the single process's
/// byte for byte (weights, optimizer state, moving statistics, history losses), with batch norm
/// and dropout, when a short batch leaves a rank without a block, after a rank is killed and
/// the run resumed on another number of ranks. Skipped (with a printed reason) without mpirun.
@Suite(.serialized) struct DistributedTrainTests {
    static let spec = "conv 4 3 same relu, batchnorm, maxpool 2, dropout 0.25, flatten, dense 8 relu, batchnorm, dropout 0.3, dense 10 softmax"
    /// 16 training samples (0.2 of the fixture's 20 held out) in batches of 6 and blocks of 2:
    /// steps of 3, 3 and 2 blocks, so on 3 ranks the last step of every epoch leaves rank 2 idle.
    static func train(out: String, epochs: Int = 3, extra: [String] = []) -> [String] {
        ["train", "Fixtures/idx/mnist", "--model", spec, "--epochs", "\(epochs)", "--batch-size", "6", "--block-size", "2",
         "--val-split", "0.2", "--seed", "3", "--threads", "1", "--no-progress", "--out", out] + extra
    }

    static let checkpointFiles = ["last/model.safetensors", "last/optimizer.safetensors", "best/model.safetensors",
                                  "best/optimizer.safetensors"]

    func temporaryFolder() throws -> String { try DistributedRuns.temporaryFolder("train") }

    /// The run's numbers: checkpoint tensors as bytes, and the history without its wall times.
    func numbers(_ run: String) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in Self.checkpointFiles { files[name] = try Data(contentsOf: URL(fileURLWithPath: run + "/" + name)) }
        let csv = try String(contentsOfFile: run + "/history.csv", encoding: .utf8).split(separator: "\n")
        let header = csv[0].split(separator: ",", omittingEmptySubsequences: false)
        let timed = Set(header.indices.filter { ["seconds", "samples_per_second"].contains(header[$0]) })
        let kept = csv.map { line in
            line.split(separator: ",", omittingEmptySubsequences: false).enumerated().filter { !timed.contains($0.offset) }.map(\.element)
                .joined(separator: ",")
        }
        files["history.csv (untimed)"] = Data(kept.joined(separator: "\n").utf8)
        return files
    }

    @Test func trainOnTwoAndThreeRanksEqualsOneProcess() throws {
        guard mpiAvailable() else { return }
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let single = try CommandRunner.run(Self.train(out: folder + "/single"))
        #expect(single.status == 0, "\(single.stderr)")
        let expected = try numbers(folder + "/single")
        for ranks in [2, 3] {
            let out = folder + "/ranks\(ranks)"
            let (result, timedOut) = try MPIRunner.run(ranks: ranks, Self.train(out: out))
            #expect(!timedOut && result.status == 0, "\(ranks) ranks: \(result.stderr)")
            #expect(try numbers(out) == expected, "\(ranks) ranks: the run differs from one process")
            #expect(result.stdout.split(separator: "\n").count == single.stdout.split(separator: "\n").count,
                    "rank 0 alone prints: \(result.stdout)")
            #expect(result.stderr.contains("training on \(ranks) ranks"), "\(result.stderr)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == ["ranks2", "ranks3", "single"])
    }

    /// Threads taking blocks inside ranks (`ReplicaTeam`): steps of 3 blocks give rank 0 of 2 a
    /// team of 2 threads (2 blocks) and rank 1 one block (its threads split layers); one process
    /// of 2 threads takes the 3 blocks as 2 + 1. Both equal one process of one thread.
    @Test func threadsInsideRanksEqualOneThread() throws {
        guard mpiAvailable() else { return }
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let twoThreads = { (out: String) -> [String] in
            var arguments = Self.train(out: out, epochs: 2)
            arguments[arguments.firstIndex(of: "--threads")! + 1] = "2"
            return arguments
        }
        let single = try CommandRunner.run(Self.train(out: folder + "/single", epochs: 2))
        #expect(single.status == 0, "\(single.stderr)")
        let expected = try numbers(folder + "/single")
        let threaded = try CommandRunner.run(twoThreads(folder + "/threads2"))
        #expect(threaded.status == 0, "\(threaded.stderr)")
        #expect(try numbers(folder + "/threads2") == expected, "1 process x 2 threads")
        let (result, timedOut) = try MPIRunner.run(ranks: 2, twoThreads(folder + "/ranks2"), timeout: 120)
        #expect(!timedOut && result.status == 0, "\(result.stderr)")
        #expect(try numbers(folder + "/ranks2") == expected, "2 ranks x 2 threads")
    }

    /// Steps of one block: rank 0 computes every block and rank 1 none, yet both must meet in
    /// every exchange (a rank holding all blocks once skipped it and the job hung).
    @Test func stepsOfOneBlockOnTwoRanksEqualOneProcess() throws {
        guard mpiAvailable() else { return }
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let oneBlock = { (out: String) -> [String] in
            var arguments = Self.train(out: out, epochs: 2)
            arguments[arguments.firstIndex(of: "--block-size")! + 1] = "6"   // the batch size
            return arguments
        }
        let single = try CommandRunner.run(oneBlock(folder + "/single"))
        #expect(single.status == 0, "\(single.stderr)")
        let (result, timedOut) = try MPIRunner.run(ranks: 2, oneBlock(folder + "/ranks2"), timeout: 60)
        #expect(!timedOut && result.status == 0, "\(result.stderr)")
        #expect(try numbers(folder + "/ranks2") == numbers(folder + "/single"))
    }

    @Test func fineTuneOnTwoAndThreeRanksEqualsOneProcess() throws {
        guard mpiAvailable() else { return }
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let base = try CommandRunner.run(Self.train(out: folder + "/base", epochs: 1))
        #expect(base.status == 0, "\(base.stderr)")
        func fineTune(_ out: String) -> [String] {
            ["fine-tune", folder + "/base", "Fixtures/idx/mnist", "--freeze", "conv2d", "--epochs", "2", "--batch-size", "6",
             "--block-size", "2", "--val-split", "0.2", "--seed", "4", "--threads", "1", "--no-progress", "--out", out]
        }
        let single = try CommandRunner.run(fineTune(folder + "/single"))
        #expect(single.status == 0, "\(single.stderr)")
        for ranks in [2, 3] {
            let out = folder + "/ranks\(ranks)"
            let (result, timedOut) = try MPIRunner.run(ranks: ranks, fineTune(out))
            #expect(!timedOut && result.status == 0, "\(result.stderr)")
            #expect(try numbers(out) == numbers(folder + "/single"), "\(ranks) ranks")
            // Rank 0 alone prints the model summary and the closing line (epoch lines hold wall times).
            let untimed = { (text: String) in text.split(separator: "\n").filter { !$0.hasPrefix("epoch ") } }
            #expect(untimed(result.stdout) == untimed(single.stdout.replacingOccurrences(of: folder + "/single", with: out)))
        }
    }

    /// SIGKILL of rank 1 in epoch 2 (its 5th step): the job ends, the run keeps the complete
    /// checkpoints of epoch 1, and resuming them on 3 ranks ends with the uninterrupted
    /// single-process run's bits.
    @Test func killedRankThenResumeOnAnotherRankCountGivesTheUninterruptedRun() throws {
        guard mpiAvailable() else { return }
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let single = try CommandRunner.run(Self.train(out: folder + "/single"))
        #expect(single.status == 0, "\(single.stderr)")
        let run = folder + "/run"
        let (killed, timedOut) = try MPIRunner.run(ranks: 2, Self.train(out: run), environment: ["DATAPREP_TEST_FAULT": "1:kill@5"],
                                                   timeout: 60)
        #expect(!timedOut && killed.status != 0, "\(killed.stderr)")
        let history = try String(contentsOfFile: run + "/history.csv", encoding: .utf8)
        #expect(history.split(separator: "\n").count == 2, "epoch 1 only: \(history)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: run).filter { $0.hasPrefix(".") }.isEmpty, "nothing left staged")
        let (resumed, resumeTimedOut) = try MPIRunner.run(ranks: 3, ["train", "Fixtures/idx/mnist", "--resume", run, "--threads", "1",
                                                                     "--no-progress"])
        #expect(!resumeTimedOut && resumed.status == 0, "\(resumed.stderr)")
        #expect(try numbers(run) == numbers(folder + "/single"))
    }

    /// A rank that throws mid-training: the job aborts (no rank waits forever), exit non-zero.
    @Test func failingRankStopsTheJob() throws {
        guard mpiAvailable() else { return }
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (result, timedOut) = try MPIRunner.run(ranks: 2, Self.train(out: folder + "/run"), environment: ["DATAPREP_TEST_FAULT": "1:fail@2"],
                                                   timeout: 60)
        #expect(!timedOut && result.status != 0)
        #expect(result.stderr.contains("error: rank 1: rank 1 failed on purpose (DATAPREP_TEST_FAULT)"), "\(result.stderr)")
    }
}
