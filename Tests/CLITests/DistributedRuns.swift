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
        let (expected, single) = try singleProcessOutput(command, out: out)
        for n in ranks {
            let (result, timedOut) = try MPIRunner.run(ranks: n, command, timeout: 300)
            #expect(!timedOut && result.status == 0, "\(n) ranks: \(result.stderr)")
            #expect(result.stdout == single.stdout, "rank 0 alone prints the single process's summary")
            try expectFiles(out, equal: expected, "\(n) ranks")
            try FileManager.default.removeItem(atPath: out)
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty, "no staging or spill left")
        }
    }

    /// `command` (ending `--out out`) run by one process: the files it wrote (then removed) and what it printed.
    static func singleProcessOutput(_ command: [String], out: String) throws -> (files: [String: [UInt8]], result: CommandResult) {
        let single = try CommandRunner.run(command)
        #expect(single.status == 0, "\(single.stderr)")
        let files = try Robustness.files(out)
        #expect(files.count > 2)
        try FileManager.default.removeItem(atPath: out)
        return (files, single)
    }

    /// Every file under `out` equals `expected`'s, and there are no others.
    static func expectFiles(_ out: String, equal expected: [String: [UInt8]], _ label: String) throws {
        let actual = try Robustness.files(out)
        #expect(actual.keys.sorted() == expected.keys.sorted(), "\(label)")
        for (name, bytes) in expected where actual[name] != bytes { Issue.record("\(label): \(name) differs") }
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
        if fault.split(separator: "@")[0].hasSuffix(":fail"), let rank = fault.split(separator: ":").first {
            let errors = result.stderr.split(separator: "\n").filter { $0.hasPrefix("error:") }
            #expect(errors == ["error: rank \(rank) failed: rank \(rank) failed on purpose (DATAPREP_TEST_FAULT)"], "\(result.stderr)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty, "nothing committed, staged or spilled")
    }

    /// Every rank writes its own shard (no PNG bytes travel to rank 0): on 3 ranks, rank 1 runs
    /// under umask 077 and rank 2 under umask 027, so a file's mode (0644, 0600, 0640) names the
    /// process that created it. Each PNG file and WebDataset shard must come from the rank whose
    /// share holds it (whole shards of `shardSize` with `wds`, else contiguous shares of each
    /// split), every rank must have written some, and every file equals one process's.
    static func expectEachRankWritesItsShare(_ arguments: [String], shardSize: Int, shards: Bool) throws {
        let folder = try temporaryFolder(arguments[0])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let out = folder + "/out", command = arguments + ["--out", out]
        let expected = try singleProcessOutput(command, out: out).files
        let modes = [0o644, 0o600, 0o640]
        let prefixes = ["022", "077", "027"].map { ["sh", "-c", "umask \($0) && exec \"$0\" \"$@\""] }
        let (result, timedOut) = try MPIRunner.run(prefixes: prefixes, command, timeout: 300)
        #expect(!timedOut && result.status == 0, "\(result.stderr)")
        try expectFiles(out, equal: expected, "3 ranks")
        let actual = try Robustness.files(out)

        let descriptor = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/dataset.json"))) as! [String: Any]
        var counts: [String: Int] = [:]
        for split in descriptor["splits"] as! [[String: Any]] { counts[split["name"] as! String] = split["count"] as? Int }
        /// The rank whose share holds sample (or, for a shard file, shard) `index` of `split`.
        func owner(split: String, index: Int, isShard: Bool) -> Int {
            let count = counts[split]!
            let items = shards ? max(1, (count + shardSize - 1) / shardSize) : count
            let item = shards && !isShard ? index / shardSize : index
            return (0..<3).first { (items * $0 / 3)..<(items * ($0 + 1) / 3) ~= item }!
        }
        var writers = Set<Int>(), checked = 0
        for name in actual.keys where name.hasPrefix("png/") || name.hasPrefix("wds/") {
            let parts = name.split(separator: "/"), file = String(parts.last!.split(separator: ".")[0])
            let rank = name.hasPrefix("png/")
                ? owner(split: String(parts[1]), index: Int(file)!, isShard: false)
                : owner(split: String(file[..<file.lastIndex(of: "-")!]), index: Int(file[file.index(after: file.lastIndex(of: "-")!)...])!, isShard: true)
            let mode = try FileManager.default.attributesOfItem(atPath: out + "/" + name)[.posixPermissions] as! Int
            #expect(mode == modes[rank], "\(name) belongs to rank \(rank)'s share but has mode \(String(mode, radix: 8))")
            writers.insert(rank)
            checked += 1
        }
        #expect(writers == [0, 1, 2] && checked > 6, "every rank wrote PNG files or shards (\(checked) checked)")
        // The arrays and the manifest: staged or written by rank 0.
        let manifestMode = try FileManager.default.attributesOfItem(atPath: out + "/manifest.csv")[.posixPermissions] as! Int
        #expect(manifestMode == 0o644)
    }

    /// A rank that fails or is killed after its writes commits nothing. The post-write fault
    /// point is each rank's last (`lastFaultPoint`, after the decoding exchanges):
    /// `@lastFaultPoint + 1` fires nowhere, so that run commits, which shows the faults below
    /// fire at the last point, once the rank's files are written.
    ///
    /// A failed rank is agreed: rank 0 removes its staging folder, nothing is left. A killed
    /// one ends the job: Open MPI 4.1 sends the survivors SIGTERM and SIGKILL within about
    /// 10 ms (measured here), too soon for rank 0 to delete a staged tree, so its staging folder
    /// may stay, hidden, its lock released by the kernel; the next run into the same parent
    /// removes it (`StagedDirectory`) and leaves only its own output.
    static func expectNothingCommittedAfterWrites(_ arguments: [String], rank: Int, lastFaultPoint: Int) throws {
        let folder = try temporaryFolder(arguments[0])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let out = folder + "/out"
        let (result, timedOut) = try MPIRunner.run(ranks: 3, arguments + ["--out", out],
                                                   environment: ["DATAPREP_TEST_FAULT": "\(rank):fail@\(lastFaultPoint + 1)"], timeout: 60)
        #expect(!timedOut && result.status == 0, "no fault point after @\(lastFaultPoint): \(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: out + "/dataset.json"))
        try expectNothingCommitted(arguments, fault: "\(rank):fail@\(lastFaultPoint)")

        try FileManager.default.removeItem(atPath: out)
        let killed = try MPIRunner.run(ranks: 3, arguments + ["--out", out],
                                       environment: ["DATAPREP_TEST_FAULT": "\(rank):kill@\(lastFaultPoint)"], timeout: 60)
        #expect(!killed.timedOut && killed.result.status != 0, "\(killed.result.stderr)")
        let left = try FileManager.default.contentsOfDirectory(atPath: folder)
        #expect(left.allSatisfy { $0.hasPrefix(".out.partial-") }, "nothing committed, only a hidden staging folder: \(left)")
        let next = try CommandRunner.run(arguments + ["--out", out])
        #expect(next.status == 0, "\(next.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["out"], "the next run removed the killed job's staging")
    }

    /// A rank that cannot see the staging folder rank 0 made (rank 1 runs with a private empty
    /// tmpfs mounted over the output's parent, as on a node whose disk is not shared) fails
    /// with an error naming the folder; nothing is committed and rank 0 removes its staging.
    /// Skipped, saying so, where mount namespaces are not allowed.
    static func expectUnsharedFilesystemRefused(_ arguments: [String]) throws {
        let probe = try CommandRunner.runLogged("/usr/bin/unshare", ["-m", "true"], environment: ProcessInfo.processInfo.environment,
                                                cwd: TestPaths.repositoryRoot) { _ in usleep(10_000); return true }
        guard probe.status == 0 else { print("skipping: unshare -m is not permitted here (\(probe.stderr))"); return }
        let folder = try temporaryFolder(arguments[0])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let private_ = ["unshare", "-m", "sh", "-c", "mount -t tmpfs tmpfs '\(folder)' && exec \"$0\" \"$@\""]
        let (result, timedOut) = try MPIRunner.run(prefixes: [[], private_, []], arguments + ["--out", folder + "/out"], timeout: 60)
        #expect(!timedOut && result.status == 1, "\(result.stderr)")
        let errors = result.stderr.split(separator: "\n").filter { $0.hasPrefix("error:") }
        #expect(errors.count == 1 && errors[0].hasPrefix("error: rank 1 failed: \(folder)/.out.partial-")
                && errors[0].hasSuffix(": rank 1 cannot see the folder rank 0 made: every rank writes its share of the output there, "
                                       + "so --out must be on a filesystem all ranks share (NFS, Lustre, GPFS…)"), "\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty, "nothing committed or staged")
    }
}
