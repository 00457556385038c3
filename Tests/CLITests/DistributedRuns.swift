import Foundation
import Testing
import TestSupport

/// What the MPI tests of the commands that write a dataset folder (`split`, `merge-cifar`)
/// check alike: N ranks write the single process's bytes, and a failed or killed rank leaves
/// nothing behind.
enum DistributedRuns {
    static func temporaryFolder(_ command: String) throws -> String {
        let folder = NSTemporaryDirectory() + "dataprep-mpi-\(command)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    /// Rank 0's write into a folder that is not ours is refused after the shared work: agreed
    /// in the last exchange, reported once (as one process reports it) with no abort, and the
    /// folder is untouched.
    static func expectRefusedOutputReportedOnce(_ arguments: [String], ranks: Int) throws {
        let folder = try temporaryFolder(arguments[0])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder + "/out", withIntermediateDirectories: false)
        try Data("mine".utf8).write(to: URL(fileURLWithPath: folder + "/out/notes.txt"))
        let single = try CommandRunner.run(arguments + ["--out", folder + "/out"])
        #expect(single.status == 1)
        let (result, timedOut) = try MPIRunner.run(ranks: ranks, arguments + ["--out", folder + "/out"], timeout: 60)
        #expect(!timedOut && result.status == 1)
        let errors = result.stderr.split(separator: "\n").filter { $0.hasPrefix("error:") }
        #expect(errors.count == 1 && single.stderr.contains(errors[0]), "\(result.stderr)")
        #expect(!result.stderr.contains("MPI_ABORT"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["out"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/out") == ["notes.txt"])
    }

    /// Runs `arguments --out folder/out` alone and under each count of `ranks` (the same command
    /// line, so the manifest's recorded command is the same too) and compares every file and stdout.
    static func expectSameOutput(_ arguments: [String], ranks: [Int]) throws {
        let folder = try temporaryFolder(arguments[0])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let out = folder + "/out", command = arguments + ["--out", out]
        let single = try CommandRunner.run(command)
        #expect(single.status == 0, "\(single.stderr)")
        let expected = try Robustness.files(out)
        #expect(expected.count > 2)
        try FileManager.default.removeItem(atPath: out)
        for n in ranks {
            let (result, timedOut) = try MPIRunner.run(ranks: n, command, timeout: 300)
            #expect(!timedOut && result.status == 0, "\(n) ranks: \(result.stderr)")
            #expect(result.stdout == single.stdout, "rank 0 alone prints the single process's summary")
            let actual = try Robustness.files(out)
            #expect(actual.keys.sorted() == expected.keys.sorted(), "\(n) ranks")
            for (name, bytes) in expected where actual[name] != bytes { Issue.record("\(n) ranks: \(name) differs") }
            try FileManager.default.removeItem(atPath: out)
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty, "no staging or spill left")
        }
    }

    /// `arguments --out …` on 3 ranks with `DATAPREP_TEST_FAULT=fault` (`RANK:fail|kill`): no
    /// rank hangs, the job exits non-zero, a failed rank's error is reported once, and nothing
    /// is committed, staged or spilled.
    static func expectNothingCommitted(_ arguments: [String], fault: String) throws {
        let folder = try temporaryFolder(arguments[0])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (result, timedOut) = try MPIRunner.run(ranks: 3, arguments + ["--out", folder + "/out"],
                                                   environment: ["DATAPREP_TEST_FAULT": fault], timeout: 60)
        #expect(!timedOut)
        #expect(result.status != 0, "\(result.stderr)")
        if fault.hasSuffix(":fail"), let rank = fault.split(separator: ":").first {
            let errors = result.stderr.split(separator: "\n").filter { $0.hasPrefix("error:") }
            #expect(errors == ["error: rank \(rank) failed: rank \(rank) failed on purpose (DATAPREP_TEST_FAULT)"], "\(result.stderr)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty, "nothing committed, staged or spilled")
    }
}
