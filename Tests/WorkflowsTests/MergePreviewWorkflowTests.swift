import Augment
import DataPrep
import Foundation
import Report
import Testing
import TestSupport
import Workflows

/// `MergeWorkflow` and `AugmentPreview` called directly.
@Suite struct MergePreviewWorkflowTests {
    /// Synthetic CIFAR-10 (20 train, 10 test, 2 / 1 per class) and CIFAR-100 (superclass 13's
    /// crab 26 and worm 99, plus apple 0, which must not come along) in `root`.
    static func writeInputs(in root: String) throws -> (cifar10: String, cifar100: String) {
        let (ten, hundred) = (root + "/cifar-10-batches-bin", root + "/cifar-100-binary")
        try SyntheticCIFAR.writeCIFAR10(to: ten, train: (0..<20).map { $0 % 10 }, test: (0..<10).map { $0 })
        try SyntheticCIFAR.writeCIFAR100(to: hundred, train: [26, 0, 99, 26, 99, 0], test: [99, 0, 26])
        return (ten, hundred)
    }

    func merge(_ inputs: (cifar10: String, cifar100: String), into out: String, threads: Int,
               classMap: ClassMap? = nil) throws -> SplitSummary {
        let merge = try CIFARMerge(cifar10: inputs.cifar10, cifar100: inputs.cifar100, superclass: "13", classes: ["crab", "worm"],
                                   seed: 8, threads: threads, command: "test")
        return try MergeWorkflow(merge: merge, classMap: classMap, output: DatasetOutput(folder: out), threads: threads).run()
    }

    /// 20 + 4 train and 10 + 2 test samples, crab and worm as labels 10 and 11; the output has
    /// every file, another thread count writes the same bytes, and the spill files (beside the
    /// output) leave nothing behind.
    @Test func mergesAndWritesReproducibly() throws {
        let folder = try ScratchFolder.make("wf-merge")
        defer { ScratchFolder.remove(folder) }
        let inputs = try Self.writeInputs(in: folder + "/in")
        let summary = try merge(inputs, into: folder + "/out/a", threads: 1)
        #expect(summary.output == folder + "/out/a")
        #expect(summary.classNames == CIFARClassNames.cifar10 + ["crab", "worm"])
        #expect(summary.splits.map(\.name) == ["train", "test"])
        #expect(summary.splits.map(\.count) == [24, 12])
        #expect(summary.splits[0].histogram == [Int](repeating: 2, count: 10) + [2, 2])
        #expect(summary.splits[1].histogram == [Int](repeating: 1, count: 10) + [1, 1])
        for file in ["dataset.json", "classes.txt", "manifest.csv", "train/x.npy", "test/y.npy"] {
            #expect(FileIO.exists(folder + "/out/a/" + file), "\(file)")
        }
        let loaded = try LoadedDataset.load(path: folder + "/out/a")
        #expect(loaded.splits["test"]?.labels.filter { $0 >= 10 }.count == 2)
        _ = try merge(inputs, into: folder + "/out/b", threads: 2)
        #expect(try ScratchFolder.digests(folder + "/out/a") == ScratchFolder.digests(folder + "/out/b"))
        #expect(try FileIO.listAll(folder + "/out").filter { !$0.contains("/") }.sorted() == ["a", "b"])
    }

    /// A class map given to the workflow relabels before writing: crab and worm become one
    /// class `invertebrate`, CIFAR-10's ten become `other`.
    @Test func relabelsWithAClassMap() throws {
        let folder = try ScratchFolder.make("wf-merge-map")
        defer { ScratchFolder.remove(folder) }
        let inputs = try Self.writeInputs(in: folder + "/in")
        let summary = try merge(inputs, into: folder + "/out", threads: 1,
                                classMap: try ClassMap(parsing: "crab,worm=invertebrate\n*=other\n"))
        #expect(summary.classNames.sorted() == ["invertebrate", "other"])
        let invertebrate = try #require(summary.classNames.firstIndex(of: "invertebrate"))
        #expect(summary.splits.map { $0.histogram[invertebrate] } == [4, 2])
        #expect(summary.splits.map { $0.histogram[1 - invertebrate] } == [20, 10])
    }

    /// A folder that is not a dataprep dataset is refused and left as it was.
    @Test func refusesAForeignOutputFolder() throws {
        let folder = try ScratchFolder.make("wf-merge-refused")
        defer { ScratchFolder.remove(folder) }
        let inputs = try Self.writeInputs(in: folder + "/in")
        try FileIO.makeDirectories(folder + "/out")
        try FileIO.writeAtomically([1, 2, 3], to: folder + "/out/mine.txt")
        #expect(throws: DataPrepError.self) { _ = try merge(inputs, into: folder + "/out", threads: 1) }
        #expect(try FileIO.listAll(folder + "/out") == ["mine.txt"])
    }

    /// Two rows (samples 0 and 10 of the fixture's 20 train images), the original and three
    /// epochs each, without captions: 28-pixel tiles enlarged 3x, 4-pixel gaps. Every tile is
    /// the original or `Pipeline.augmented` for its epoch and index, pixel for pixel, and the
    /// sidecar lists the tiles.
    @Test func previewDrawsEachEpochsAugmentation() throws {
        let folder = try ScratchFolder.make("wf-preview")
        defer { ScratchFolder.remove(folder) }
        let pipeline = Pipeline([.rotation(Rotation(degrees: 25))])
        var preview = AugmentPreview(source: WorkflowFixtures.mnist, out: folder + "/grid.png", pipeline: pipeline, seed: 4)
        (preview.samples, preview.variants, preview.captions, preview.threads) = (2, 3, false, 1)
        let summary = try preview.run()
        #expect(summary.split == "train" && summary.indices == [0, 10])
        #expect(summary.width == 4 * 84 + 5 * 4 && summary.height == 2 * 84 + 3 * 4)
        #expect(summary.sidecar == folder + "/grid.json")

        let grid = try PNG.decode(contentsOf: summary.png)
        #expect(grid.width == summary.width && grid.height == summary.height && grid.channels == 1)
        let train = try #require(try LoadedDataset.load(path: WorkflowFixtures.mnist).splits["train"])
        for (row, index) in [0, 10].enumerated() {
            let original = train.image(at: index)
            for column in 0..<4 {
                let expected = column == 0 ? original : pipeline.augmented(original, seed: 4, epoch: column - 1, index: index).image
                let (x0, y0) = (4 + column * 88, 4 + row * 88)
                var tile: [UInt8] = []
                for y in 0..<84 { for x in 0..<84 { tile.append(grid.pixels[(y0 + y) * grid.width + x0 + x]) } }
                let enlarged = (0..<84).flatMap { y in (0..<84).map { x in expected.pixels[(y / 3) * 28 + x / 3] } }
                #expect(tile == enlarged, "row \(row) column \(column)")
            }
        }
        let sidecar = try JSONSerialization.jsonObject(with: Data(try FileIO.read(summary.sidecar))) as? [String: Any]
        let samples = try #require(sidecar?["samples"] as? [[String: Any]])
        #expect(samples.map { $0["index"] as? Int } == [0, 10])
        #expect(samples.map { $0["label"] as? Int } == [0, 10].map { Int(train.labels[$0]) })
        #expect(samples.map { ($0["tiles"] as? [Any])?.count } == [4, 4])
        #expect(sidecar?["scale"] as? Int == 3)
    }

    /// With captions: the tiles keep their exact pixels, each strip under them holds its text
    /// in DejaVu Sans (anti-aliased gray on white, still a one-channel PNG for MNIST), and the
    /// strip is as tall as one 10 px line per operation (at least two: "#index class", "original").
    @Test func previewCaptionsAreSetInTheStrips() throws {
        let folder = try ScratchFolder.make("wf-preview-captions")
        defer { ScratchFolder.remove(folder) }
        let pipeline = Pipeline([.rotation(Rotation(degrees: 25))])
        var preview = AugmentPreview(source: WorkflowFixtures.mnist, out: folder + "/grid.png", pipeline: pipeline, seed: 4)
        (preview.samples, preview.variants, preview.threads) = (1, 2, 1)
        let summary = try preview.run()
        let strip = 2 * CaptionStamp.lineHeight(size: 10) + 4
        #expect(summary.width == 3 * 84 + 4 * 4 && summary.height == 84 + strip + 2 * 4)
        let grid = try PNG.decode(contentsOf: summary.png)
        #expect(grid.channels == 1)
        let train = try #require(try LoadedDataset.load(path: WorkflowFixtures.mnist).splits["train"])
        for column in 0..<3 {
            let expected = column == 0 ? train.image(at: 0) : pipeline.augmented(train.image(at: 0), seed: 4, epoch: column - 1, index: 0).image
            let x0 = 4 + column * 88
            var tile: [UInt8] = [], ink = 0, gray = 0
            for y in 0..<84 { for x in 0..<84 { tile.append(grid.pixels[(4 + y) * grid.width + x0 + x]) } }
            let enlarged: [UInt8] = (0..<(84 * 84)).map { i in expected.pixels[(i / 84 / 3) * 28 + (i % 84) / 3] }
            #expect(tile == enlarged, "tile \(column)")
            for y in (4 + 84)..<(4 + 84 + strip) { for x in x0..<(x0 + 84) {
                let v = grid.pixels[y * grid.width + x]
                if v < 100 { ink += 1 } else if v < 255 { gray += 1 }
            } }
            #expect(ink > 15 && gray > 15, "caption of tile \(column): \(ink) dark, \(gray) anti-aliased")
        }
    }

    /// A split the source lacks, and an index past the split, are refused with the reason.
    @Test func previewRefusesABadSplitOrIndex() throws {
        let folder = try ScratchFolder.make("wf-preview-bad")
        defer { ScratchFolder.remove(folder) }
        var preview = AugmentPreview(source: WorkflowFixtures.mnist, out: folder + "/grid.png", pipeline: Pipeline(), seed: 1)
        preview.split = "val"
        #expect { try preview.run() } throws: { "\($0)".contains("no split 'val' in \(WorkflowFixtures.mnist); it has: train, test") }
        preview.split = "test"
        preview.indices = [3, 10]
        #expect { try preview.run() } throws: { "\($0)".contains("--indices: 10 is outside split 'test' (0..<10)") }
        #expect(try FileIO.listAll(folder).isEmpty)
    }
}
