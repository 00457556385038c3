import DataPrep
import Foundation
import Testing
import TestSupport

/// `dataprep merge-cifar` run as a user would.
@Suite struct MergeCIFARCommandTests {
    /// Fixtures/README.md, cifar/: 15 + 10 CIFAR-10 records; CIFAR-100 train records 2 (snail),
    /// 8 (worm), 48 (spider), 66 (lobster), 79 (crab) and test records 202, 208, 248, 279, 366
    /// belong to superclass 13, one per fine class.
    @Test func fixturesMergeWithAJSONSummary() throws {
        let dir = try ScratchFolder.make("cli-merge")
        defer { ScratchFolder.remove(dir) }
        let result = try CommandRunner.run(["merge-cifar", "--cifar10", "Fixtures/cifar/cifar-10-binary.tar.gz",
                                            "--cifar100", "Fixtures/cifar/cifar-100-binary", "--superclass", "Non Insect Invertebrates",
                                            "--seed", "3", "--out", dir + "/merged", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let summary = try #require(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(summary["classNames"] as? [String] == CIFARClassNames.cifar10 + ["crab", "lobster", "snail", "spider", "worm"])
        let splits = try #require(summary["splits"] as? [[String: Any]])
        #expect(splits.map { $0["name"] as? String } == ["train", "test"])
        #expect(splits.map { $0["count"] as? Int } == [20, 15])
        #expect(splits.map { $0["histogram"] as? [Int] } == [[2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
                                                              [Int](repeating: 1, count: 15)])
        #expect(summary["format"] as? String == "cifar-archive + cifar-100")
        let notes = try #require(summary["notes"] as? [String])
        #expect(!notes.contains { $0.hasPrefix("warning: no ") })

        // The folder is a normal split output that `split` reads back.
        let output = try #require(try SplitOutput(folder: dir + "/merged"))
        #expect(output.descriptor.classNames.count == 15 && output.descriptor.splits.map(\.count) == [20, 15])
        let resplit = try CommandRunner.run(["split", dir + "/merged", "--from", "test", "--per-class", "1", "--allow-short", "--seed", "1",
                                             "--out", dir + "/resplit", "--json"])
        #expect(resplit.status == 0, "\(resplit.stderr)")
    }

    @Test func chosenClassesAndBalanceReachTheLibrary() throws {
        let dir = try ScratchFolder.make("cli-merge")
        defer { ScratchFolder.remove(dir) }
        let result = try CommandRunner.run(["merge-cifar", "--cifar10", "Fixtures/cifar/cifar-10-batches-bin", "--cifar100", "Fixtures/cifar/cifar-100-binary",
                                            "--superclass", "13", "--classes", "worm,snail", "--balance", "oversample", "--seed", "3",
                                            "--out", dir + "/merged"])
        #expect(result.status == 0, "\(result.stderr)")
        let output = try #require(try SplitOutput(folder: dir + "/merged"))
        // snail 10, worm 11 (fine-label order); oversampled to the largest train class (2).
        #expect(output.descriptor.classNames.suffix(2) == ["snail", "worm"])
        #expect(output.descriptor.splits[0].histogram == [Int](repeating: 2, count: 12))
        #expect(result.stdout.contains("train balanced by oversample: 2 images per class"))
    }

    @Test func unknownSuperclassIsAUsageErrorListingTheNames() throws {
        let result = try CommandRunner.run(["merge-cifar", "--cifar10", "Fixtures/cifar/cifar-10-batches-bin", "--cifar100", "Fixtures/cifar/cifar-100-binary",
                                            "--superclass", "bugs", "--out", NSTemporaryDirectory() + "never-written"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("unknown CIFAR-100 superclass 'bugs'"))
        for (i, name) in CIFARClassNames.cifar100Coarse.enumerated() { #expect(result.stderr.contains("\(i) \(name)"), "\(name)") }
        #expect(!FileIO.exists(NSTemporaryDirectory() + "never-written"))
    }

    @Test func swappedInputsExit1NamingThePath() throws {
        let dir = try ScratchFolder.make("cli-merge")
        defer { ScratchFolder.remove(dir) }
        let result = try CommandRunner.run(["merge-cifar", "--cifar10", "Fixtures/cifar/cifar-100-binary", "--cifar100", "Fixtures/cifar/cifar-100-binary",
                                            "--superclass", "13", "--out", dir + "/o"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("error: Fixtures/cifar/cifar-100-binary: expected CIFAR-10 (10 classes), found cifar-100 with 100 classes"))
        #expect(try FileIO.listAll(dir).isEmpty)
    }
}
