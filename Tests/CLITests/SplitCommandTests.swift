import DataPrep
import Foundation
import Testing
import TestSupport

/// `dataprep split` run as a user would: JSON summary, written folder, exit codes and messages.
@Suite struct SplitCommandTests {
    static func json(_ text: String) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// Fixtures/idx/mnist pools to 30 images, 3 per digit (Fixtures/README.md, idx/).
    @Test func splitWritesTheFolderAndAJSONSummary() throws {
        let dir = try ScratchFolder.make("cli-split")
        defer { ScratchFolder.remove(dir) }
        let result = try CommandRunner.run(["split", "Fixtures/idx/mnist", "--per-class", "2,1", "--names", "fit,holdout", "--seed", "7",
                                            "--format", "idx,cifar", "--out", dir + "/out", "--json", "--no-progress"])
        #expect(result.status == 0, "\(result.stderr)")
        let summary = try Self.json(result.stdout)
        #expect(summary["output"] as? String == dir + "/out")
        #expect(summary["seed"] as? Int == 7 && summary["format"] as? String == "idx-folder")
        let splits = try #require(summary["splits"] as? [[String: Any]])
        #expect(splits.map { $0["name"] as? String } == ["fit", "holdout"])
        #expect(splits.map { $0["count"] as? Int } == [20, 10])
        #expect(splits.map { $0["histogram"] as? [Int] } == [[Int](repeating: 2, count: 10), [Int](repeating: 1, count: 10)])
        #expect(summary["duplicateGroups"] as? Int == 0)
        #expect(!result.stderr.contains("seed:"))   // a given seed is not announced

        let written = try #require(try SplitOutput(folder: dir + "/out"))
        #expect(written.descriptor.splits.map(\.count) == [20, 10] && written.descriptor.seed == 7)
        #expect(written.descriptor.command?.hasPrefix("dataprep split Fixtures/idx/mnist --per-class 2,1") == true)
        for file in ["idx/fit-images-idx3-ubyte", "cifar/holdout_batch.bin", "manifest.csv", "classes.txt"] {
            #expect(FileIO.exists(dir + "/out/" + file), "\(file)")
        }
        #expect(try FileIO.listAll(dir) == ["out"])   // no staging folder left beside it
    }

    @Test func tableSummaryListsEveryClassAndSplit() throws {
        let dir = try ScratchFolder.make("cli-split")
        defer { ScratchFolder.remove(dir) }
        let result = try CommandRunner.run(["split", "Fixtures/idx/mnist", "--ratios", "0.7,0.3", "--seed", "1", "--normalize", "unit",
                                            "--out", dir + "/out"])
        #expect(result.status == 0, "\(result.stderr)")
        // 3 per digit × (0.7, 0.3) = 2.1, 0.9 → 2, 1.
        #expect(result.stdout.contains("wrote \(dir)/out  (source format idx-folder, seed 1)"))
        #expect(result.stdout.contains("class  train  test  total"))
        #expect(result.stdout.contains("0 0        2     1      3"))
        #expect(result.stdout.contains("total     20    10     30"))
        #expect(result.stdout.contains("images: uint8; normalization unit: x/255 (recorded in dataset.json, applied by train)"))
        #expect(result.stdout.contains("duplicates: none"))
    }

    /// `--normalize standard` keeps `x.npy` uint8 and records the fitted statistics, which
    /// `info` shows; `--format npy-float32` writes (x/255 - mean)/std beside it, and
    /// `merge-cifar --format npy-float32` writes x/255.
    @Test func normalizeIsRecordedAndNpyFloat32WritesTheFloats() throws {
        let dir = try ScratchFolder.make("cli-split-float")
        defer { ScratchFolder.remove(dir) }
        let out = dir + "/out"
        let result = try CommandRunner.run(["split", "Fixtures/idx/mnist", "--per-class", "2,1", "--seed", "3", "--normalize", "standard",
                                            "--format", "npy-float32", "--no-progress", "--out", out])
        #expect(result.status == 0, "\(result.stderr)")
        let descriptor = try #require(try SplitOutput(folder: out)?.descriptor)
        guard case let .standard(mean, std) = descriptor.normalization else { Issue.record("\(String(describing: descriptor.normalization))"); return }
        #expect(descriptor.dtype == "uint8")
        for split in ["train", "test"] {
            let x = try NPYArray(contentsOf: out + "/\(split)/x.npy"), floats = try NPYArray(contentsOf: out + "/npy-float32/\(split)/x.npy")
            #expect(x.dtype == .uint8 && floats.dtype == .float32 && floats.shape == x.shape)
            #expect(floats.floatValues == x.data.map { (Float($0) / 255 - mean[0]) / std[0] }, "\(split)")
        }
        let info = try CommandRunner.run(["info", out])
        #expect(info.status == 0)
        #expect(info.stdout.contains("normalization: standard: (x/255 - mean)/std, mean [\(Double((Double(mean[0]) * 10000).rounded() / 10000))]"), "\(info.stdout)")

        let merged = dir + "/merged"
        let merge = try CommandRunner.run(["merge-cifar", "--cifar10", "Fixtures/cifar/cifar-10-batches-bin", "--cifar100", "Fixtures/cifar/cifar-100-binary",
                                           "--superclass", "13", "--seed", "1", "--format", "npy-float32", "--no-progress", "--out", merged])
        #expect(merge.status == 0, "\(merge.stderr)")
        let bytes = try NPYArray(contentsOf: merged + "/train/x.npy"), floats = try NPYArray(contentsOf: merged + "/npy-float32/train/x.npy")
        #expect(floats.floatValues == bytes.data.map { Float($0) / 255 })

        let unknown = try CommandRunner.run(["split", "Fixtures/idx/mnist", "--per-class", "2,1", "--format", "npy-f16", "--out", dir + "/bad"])
        #expect(unknown.status == 64)
        #expect(unknown.stderr.contains("unknown --format 'npy-f16': choose from npy, npy-float32, idx, cifar, png, wds"), "\(unknown.stderr)")
    }

    @Test func omittedSeedIsPrintedAndRepeatsTheRun() throws {
        let dir = try ScratchFolder.make("cli-split")
        defer { ScratchFolder.remove(dir) }
        let first = try CommandRunner.run(["split", "Fixtures/idx/mnist", "--per-class", "2,1", "--out", dir + "/a", "--json"])
        #expect(first.status == 0, "\(first.stderr)")
        let line = try #require(first.stderr.split(separator: "\n").first { $0.hasPrefix("seed: ") })
        let seed = try #require(UInt64(line.dropFirst(6).prefix { $0.isNumber }))
        #expect(line.contains("pass --seed \(seed) to repeat this run exactly"))
        #expect(try Self.json(first.stdout)["seed"] as? UInt64 == seed)
        let again = try CommandRunner.run(["split", "Fixtures/idx/mnist", "--per-class", "2,1", "--out", dir + "/b", "--seed", "\(seed)"])
        #expect(again.status == 0, "\(again.stderr)")
        for file in ["train/x.npy", "train/y.npy", "test/x.npy", "manifest.csv"] {
            #expect(try FileIO.read(dir + "/a/" + file) == FileIO.read(dir + "/b/" + file), "\(file)")
        }
    }

    @Test func usageErrorsExit64() throws {
        let dir = try ScratchFolder.make("cli-split")
        defer { ScratchFolder.remove(dir) }
        let missingOut = try CommandRunner.run(["split", "Fixtures/idx/mnist", "--per-class", "2,1"])
        #expect(missingOut.status == 64)
        #expect(missingOut.stderr.contains("--out"))
        let both = try CommandRunner.run(["split", "Fixtures/idx/mnist", "--per-class", "2,1", "--ratios", "0.5,0.5", "--out", dir + "/o"])
        #expect(both.status == 64)
        #expect(both.stderr.contains("give exactly one of --per-class or --ratios"))
        let neither = try CommandRunner.run(["split", "Fixtures/idx/mnist", "--out", dir + "/o"])
        #expect(neither.status == 64)
        let badRatios = try CommandRunner.run(["split", "Fixtures/idx/mnist", "--ratios", "0.5,0.6", "--out", dir + "/o"])
        #expect(badRatios.status == 64)
        #expect(badRatios.stderr.contains("ratios add up to 1.1, not 1"))
        let badNames = try CommandRunner.run(["split", "Fixtures/idx/mnist", "--per-class", "2,1", "--names", "a", "--out", dir + "/o"])
        #expect(badNames.status == 64)
        #expect(badNames.stderr.contains("2 split sizes but 1 names"))
        let badFormat = try CommandRunner.run(["split", "Fixtures/idx/mnist", "--per-class", "2,1", "--format", "jpeg", "--out", dir + "/o"])
        #expect(badFormat.status == 64)
        #expect(badFormat.stderr.contains("unknown --format 'jpeg'"))
        let badShard = try CommandRunner.run(["split", "Fixtures/idx/mnist", "--per-class", "2,1", "--format", "wds", "--shard-size", "0",
                                              "--out", dir + "/o"])
        #expect(badShard.status == 64)
        #expect(badShard.stderr.contains("--shard-size must be positive"))
        #expect(try FileIO.listAll(dir).isEmpty)   // nothing written
    }

    @Test func shortClassExits1NamingIt() throws {
        let dir = try ScratchFolder.make("cli-split")
        defer { ScratchFolder.remove(dir) }
        // Each digit has 3 images; 3 + 1 asks for 4.
        let result = try CommandRunner.run(["split", "Fixtures/idx/mnist", "--per-class", "3,1", "--seed", "1", "--out", dir + "/o"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("error: class '0' has 3 samples but 3 train + 1 test needs 4; lower the counts or pass --allow-short"))
        #expect(try FileIO.listAll(dir).isEmpty)   // no output, no staging left behind

        let short = try CommandRunner.run(["split", "Fixtures/idx/mnist", "--per-class", "3,1", "--allow-short", "--seed", "1",
                                           "--out", dir + "/o", "--json"])
        #expect(short.status == 0, "\(short.stderr)")
        let summary = try Self.json(short.stdout)
        let shortClasses = try #require(summary["shortClasses"] as? [[String: Any]])
        #expect(shortClasses.map { $0["className"] as? String } == (0..<10).map { "\($0)" })
        #expect(shortClasses.allSatisfy { $0["available"] as? Int == 3 })
        // 3 × (3, 1) / 4 = 2.25, 0.75 → 2, 1.
        #expect((summary["splits"] as? [[String: Any]])?.map { $0["count"] as? Int } == [20, 10])
    }

    @Test func anOutputFolderThatIsNotOursIsRefused() throws {
        let dir = try ScratchFolder.make("cli-split")
        defer { ScratchFolder.remove(dir) }
        try FileIO.makeDirectories(dir + "/mine")
        try FileIO.writeAtomically(Array("keep".utf8), to: dir + "/mine/notes.txt")
        let result = try CommandRunner.run(["split", "Fixtures/idx/mnist", "--per-class", "2,1", "--seed", "1", "--out", dir + "/mine"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("\(dir)/mine") && result.stderr.contains("refusing to replace it"))
        #expect(try FileIO.listAll(dir + "/mine") == ["notes.txt"])
        // An earlier split output, on the other hand, is replaced.
        #expect(try CommandRunner.run(["split", "Fixtures/idx/mnist", "--per-class", "2,1", "--seed", "1", "--out", dir + "/out"]).status == 0)
        let rerun = try CommandRunner.run(["split", "Fixtures/idx/mnist", "--per-class", "1", "--seed", "1", "--out", dir + "/out"])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(try SplitOutput(folder: dir + "/out")?.descriptor.splits.map(\.count) == [10])
        #expect(try FileIO.listAll(dir + "/out").contains("test") == false)
    }

    @Test func photoFolderNeedsResize() throws {
        let dir = try ScratchFolder.make("cli-split")
        defer { ScratchFolder.remove(dir) }
        let without = try CommandRunner.run(["split", "Fixtures/collections/kaggle", "--per-class", "2,2", "--seed", "1", "--out", dir + "/o"])
        #expect(without.status == 1)
        #expect(without.stderr.contains("--resize"))
        let with = try CommandRunner.run(["split", "Fixtures/collections/kaggle", "--per-class", "2,2", "--seed", "1", "--resize", "8x6",
                                          "--grayscale", "--out", dir + "/o", "--json"])
        #expect(with.status == 0, "\(with.stderr)")
        let summary = try Self.json(with.stdout)
        #expect((summary["skipped"] as? [[String: Any]])?.count == 2)   // notes.txt, dog.4.jpg (Fixtures/README.md)
        let written = try #require(try SplitOutput(folder: dir + "/o"))
        #expect(written.descriptor.height == 6 && written.descriptor.width == 8 && written.descriptor.channels == 1)
    }
}
