import Foundation
import Testing
import TestSupport

/// `mpirun -np N dataprep split …`: the ranks decode shares of every chunk of the photos, rank 0
/// plans, each rank writes its shard of the output, rank 0 commits, and every format's bytes
/// equal one process's. Skipped (with a
/// printed reason) where mpirun is absent.
@Suite(.serialized) struct DistributedSplitTests {
    /// Every format, on the Kaggle fixture (9 photos, one corrupt, one text file skipped).
    static let arguments = ["split", "Fixtures/collections/kaggle", "--per-class", "2,2", "--seed", "1", "--resize", "8x6",
                            "--format", "idx,png,cifar,wds,npy-float32", "--shard-size", "3", "--threads", "1", "--no-progress"]

    func temporaryFolder() throws -> String { try DistributedRuns.temporaryFolder("split") }

    @Test func splitOnTwoAndThreeRanksEqualsOneProcess() throws {
        guard mpiAvailable() else { return }
        try DistributedRuns.expectSameOutput(Self.arguments, ranks: [2, 3])
    }

    /// Real photos in two decode chunks (1,760 at 96x96x3 = 48.7 MB; a chunk is 32 MiB).
    @Test func realPhotosInSeveralChunksOnTwoRanks() throws {
        guard mpiAvailable() else { return }
        let photos = "/work/shared/data/dogs-vs-cats/train"
        guard FileManager.default.fileExists(atPath: photos) else { print("skipping: \(photos) not found"); return }
        try DistributedRuns.expectSameOutput(["split", photos, "--ratios", "0.8,0.2", "--seed", "4", "--resize", "96x96", "--no-progress"], ranks: [2])
    }

    /// Errors every rank meets (no such source; --strict over a corrupt photo that rank 2
    /// decodes) are reported once, by rank 0, with the single process's exit status.
    @Test func errorsEveryRankMeetsAreReportedOnce() throws {
        guard mpiAvailable() else { return }
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let missing = try MPIRunner.run(ranks: 3, ["split", folder + "/none", "--per-class", "1,1", "--out", folder + "/out"], timeout: 60)
        #expect(!missing.timedOut && missing.result.status == 1)
        #expect(missing.result.stderr.split(separator: "\n").filter { $0.hasPrefix("error:") }
                == ["error: \(folder)/none: cannot access: no such file or directory"], "\(missing.result.stderr)")
        let strict = try MPIRunner.run(ranks: 3, Self.arguments + ["--strict", "--out", folder + "/out"], timeout: 60)
        #expect(!strict.timedOut && strict.result.status == 1)
        #expect(strict.result.stderr.split(separator: "\n").filter { $0.hasPrefix("error:") }
                == ["error: rank 2 failed: Fixtures/collections/kaggle/dog.4.jpg: corrupt data: Premature end of JPEG file"],
                "\(strict.result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
    }

    /// Rank 0's write is refused after the ranks decoded: agreed in the last exchange, so it is
    /// reported once, as one process reports it, with no abort, and the folder is untouched.
    @Test func refusedOutputAfterDecodingIsReportedOnce() throws {
        guard mpiAvailable() else { return }
        try DistributedRuns.expectRefusedOutputReportedOnce(Self.arguments, ranks: 3)
    }

    @Test(arguments: ["2:fail", "1:kill"])
    func failedOrKilledRankCommitsNothing(fault: String) throws {
        guard mpiAvailable() else { return }
        try DistributedRuns.expectNothingCommitted(Self.arguments, fault: fault)
    }

    /// Each rank writes its own PNG files and WebDataset shards, read back from the arrays rank
    /// 0 staged (the decoded photos are only there), and rank 0 receives no PNG bytes: the
    /// files' modes name their writers. Shards of one sample, so each of the 3 ranks has some
    /// of the 2x4 samples; then PNG files alone, in contiguous shares of each split.
    @Test func eachRankWritesItsOwnShard() throws {
        guard mpiAvailable() else { return }
        var arguments = Self.arguments
        arguments[arguments.firstIndex(of: "--shard-size")! + 1] = "1"
        try DistributedRuns.expectEachRankWritesItsShare(arguments, shardSize: 1, shards: true)
        arguments[arguments.firstIndex(of: "--format")! + 1] = "png"
        try DistributedRuns.expectEachRankWritesItsShare(arguments, shardSize: 1, shards: false)
    }

    /// A rank failing or killed once its files are written (its 2nd fault point: one decoding
    /// exchange, then the write) still commits nothing and leaves no staging folder.
    @Test func rankFailingAfterItsWritesCommitsNothing() throws {
        guard mpiAvailable() else { return }
        try DistributedRuns.expectNothingCommittedAfterWrites(Self.arguments, rank: 1, lastFaultPoint: 2)
    }

    /// A rank that does not see rank 0's staging folder (no shared filesystem) is refused, named.
    @Test func outputNotOnASharedFilesystemIsRefused() throws {
        guard mpiAvailable() else { return }
        try DistributedRuns.expectUnsharedFilesystemRefused(Self.arguments)
    }
}
