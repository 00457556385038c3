import Foundation
import Testing
import TestSupport

/// `mpirun -np N dataprep sweep`: the variants are dealt to the ranks, and the runs and the
/// ranked summary (wall times aside) are the single process's; a failing rank stops the job
/// with nothing summarized and its error reported once; `--resume` continues on any rank count.
@Suite(.serialized) struct DistributedSweepTests {
    static func sweep(out: String) -> [String] {
        SweepCommandTests.sweep(["--grid", "filters=2,4", "--grid", "lr=0.01,0.001", "--threads", "1", "--no-progress"], out: out)
    }

    @Test func ranksTrainTheSingleProcessRuns() throws {
        guard mpiAvailable() else { return }
        let dir = try ScratchFolder.make("mpi-sweep")
        defer { ScratchFolder.remove(dir) }
        // One folder for every run: the runs record their own paths.
        let out = dir + "/sweep"
        let single = try CommandRunner.run(Self.sweep(out: out))
        #expect(single.status == 0, "\(single.stderr)")
        let expected = try SweepCommandTests.comparable(out)
        #expect(expected.count > 8)
        for ranks in [2, 3] {
            try FileManager.default.removeItem(atPath: out)
            let (result, timedOut) = try MPIRunner.run(ranks: ranks, Self.sweep(out: out), timeout: 300)
            #expect(!timedOut && result.status == 0, "\(ranks) ranks: \(result.stderr)")
            #expect(try SweepCommandTests.comparable(out) == expected, "\(ranks) ranks: runs or summary differ")
            // Rank 0 prints the table once; every rank logged its own share.
            #expect(result.stdout.components(separatedBy: "filters=").count == single.stdout.components(separatedBy: "filters=").count)
            let log = try String(contentsOfFile: out + "/sweep.log", encoding: .utf8)
            for rank in 0..<ranks { #expect(log.contains("rank \(rank): [0 done, 1 running"), "\(ranks) ranks, rank \(rank): \(log)") }
            #expect(log.components(separatedBy: "] done ").count - 1 == 4, "each variant finished once: \(log)")
        }
    }

    /// Rank 1 fails at its first fault point (its first variant's first step): every rank stops
    /// after its own variants, the error is reported once, there is no summary, and the same
    /// sweep with `--resume` in one process finishes it with the uninterrupted result.
    @Test func aFailingRankLeavesAResumableSweep() throws {
        guard mpiAvailable() else { return }
        let dir = try ScratchFolder.make("mpi-sweep-fail")
        defer { ScratchFolder.remove(dir) }
        let out = dir + "/sweep"
        let reference = try CommandRunner.run(Self.sweep(out: out))
        #expect(reference.status == 0, "\(reference.stderr)")
        let expected = try SweepCommandTests.comparable(out)
        try FileManager.default.removeItem(atPath: out)
        let (result, timedOut) = try MPIRunner.run(ranks: 2, Self.sweep(out: out), environment: ["DATAPREP_TEST_FAULT": "1:fail"],
                                                   timeout: 300)
        #expect(!timedOut && result.status == 1, "\(result.stderr)")
        let errors = result.stderr.split(separator: "\n").filter { $0.hasPrefix("error:") }
        #expect(errors.count == 1 && errors[0].contains("rank 1"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out + "/summary.json"))
        let resumed = try CommandRunner.run(Self.sweep(out: out) + ["--resume"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try SweepCommandTests.comparable(out) == expected)
    }
}
