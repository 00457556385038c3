import Foundation
import Testing
import TestSupport
@testable import DataPrep

/// IDX, CIFAR and `merge-cifar` decoded with a spill folder: the same samples as in memory
/// (byte for byte, labels, names), but mapped from one spill file with the splits end to end,
/// and the same typed errors for corrupt input. Small `chunkBytes` make every file take
/// several chunks.
@Suite struct SpilledSourceTests {
    /// Asserts `spilled` equals `memory` and lives in one mapped file, splits end to end.
    func expectSpilledCopy(_ spilled: SplitDataset, of memory: SplitDataset) {
        #expect(spilled == memory)
        #expect(spilled.splits.allSatisfy { $0.data.storage.isMapped })
        #expect(PixelStorage.contiguous(spilled.splits.map(\.data.storage)) != nil, "splits are not end to end")
        #expect(spilled.splits.map { $0.data.coarseLabels } == memory.splits.map { $0.data.coarseLabels })
    }

    /// The MNIST fixture (a gzip train pair, a raw t10k pair), in chunks of 1000 bytes.
    @Test func mnistFolderSpillsTheSameSamples() throws {
        let folder = try ScratchFolder.make("spill-mnist")
        defer { ScratchFolder.remove(folder) }
        let mnist = try #require(MNISTFolder(path: TestPaths.fixture("idx/mnist")))
        expectSpilledCopy(try mnist.load(spillDirectory: folder, chunkBytes: 1000), of: try mnist.load())
        // The spill file is unlinked: nothing is left in the folder.
        #expect(try FileIO.listAll(folder).isEmpty)
    }

    /// Through `LoadedDataset.load`, per-record hashes are computed from the mapped pixels.
    @Test func loadedIDXHashesTheMappedRecords() throws {
        let folder = try ScratchFolder.make("spill-mnist-hash")
        defer { ScratchFolder.remove(folder) }
        var options = LoadedDataset.Options(threads: 2, hashSources: true)
        let memory = try LoadedDataset.load(path: TestPaths.fixture("idx/mnist"), options: options)
        options.spillDirectory = folder
        options.chunkBytes = 700
        let spilled = try LoadedDataset.load(path: TestPaths.fixture("idx/mnist"), options: options)
        expectSpilledCopy(spilled.splits, of: memory.splits)
        #expect(spilled.sourceHashes == memory.sourceHashes)
        #expect(spilled.sourceHashes.map(\.count) == [20, 10])
    }

    /// Writes an IDX images file (gzip when asked) of `count` 2x3 images and a labels file.
    func writeIDXPair(in folder: String, count: Int, gzip: Bool, mutate: (inout [UInt8]) -> Void = { _ in }) throws -> (images: String, labels: String) {
        var images = IDXArray(shape: [count, 2, 3], storage: .uint8((0..<(count * 6)).map { UInt8($0 % 251) })).encoded()
        mutate(&images)
        let imagesPath = folder + "/train-images-idx3-ubyte" + (gzip ? ".gz" : "")
        try FileIO.writeAtomically(gzip ? Gzip.compress(images) : images, to: imagesPath)
        let labelsPath = folder + "/train-labels-idx1-ubyte"
        try FileIO.writeAtomically(IDXArray(shape: [count], storage: .uint8((0..<count).map { UInt8($0 % 10) })).encoded(), to: labelsPath)
        return (imagesPath, labelsPath)
    }

    /// The error of loading `folder` in memory and spilled, which must be the same.
    func errors(loading folder: String, spill: String) throws -> (memory: DataPrepError?, spilled: DataPrepError?) {
        let mnist = try #require(MNISTFolder(path: folder))
        var memory: DataPrepError?, spilled: DataPrepError?
        do { _ = try mnist.load() } catch let error as DataPrepError { memory = error }
        do { _ = try mnist.load(spillDirectory: spill, chunkBytes: 7) } catch let error as DataPrepError { spilled = error }
        return (memory, spilled)
    }

    /// Corrupt images files, raw and gzip, fail spilled exactly as in memory: truncated payload,
    /// bytes after the data, wrong magic (with its hint), bad rank, a cut-off gzip stream.
    @Test(arguments: [false, true])
    func corruptImagesFailAsInMemory(gzip: Bool) throws {
        let cases: [(String, (inout [UInt8]) -> Void)] = [
            ("truncated", { $0.removeLast(5) }),
            ("trailing", { $0 += [1, 2, 3] }),
            ("magic", { $0 = Array("<!doctype html><p>rate limited</p>".utf8) + $0 }),
            ("rank", { $0[3] = 9 }),
            ("type", { $0[2] = 0x0c }),
        ]
        for (name, mutate) in cases {
            let folder = try ScratchFolder.make("spill-idx-\(name)")
            defer { ScratchFolder.remove(folder) }
            _ = try writeIDXPair(in: folder, count: 12, gzip: gzip, mutate: mutate)
            let (memory, spilled) = try errors(loading: folder, spill: folder)
            #expect(memory != nil, "\(name) loaded in memory")
            #expect(spilled == memory, "\(name): \(String(describing: spilled)) vs \(String(describing: memory))")
        }
        if gzip {
            let folder = try ScratchFolder.make("spill-idx-cut")
            defer { ScratchFolder.remove(folder) }
            let (images, _) = try writeIDXPair(in: folder, count: 40, gzip: true)
            let bytes = try FileIO.read(images)
            try FileIO.writeAtomically(Array(bytes.prefix(bytes.count - 12)), to: images)
            let (memory, spilled) = try errors(loading: folder, spill: folder)
            #expect(memory == .truncated(path: images, expected: bytes.count - 11, found: bytes.count - 12))
            #expect(spilled == memory)
        }
    }

    /// The CIFAR fixtures, folder and `.tar.gz`, both variants, in chunks of two records.
    @Test(arguments: ["cifar-10-batches-bin", "cifar-100-binary", "cifar-10-binary.tar.gz", "cifar-100-binary.tar.gz"])
    func cifarSpillsTheSameSamples(_ name: String) throws {
        let folder = try ScratchFolder.make("spill-cifar")
        defer { ScratchFolder.remove(folder) }
        let path = TestPaths.fixture("cifar/" + name)
        let source = name.hasSuffix(".tar.gz") ? CIFARSource(archive: path) : try #require(CIFARSource(folder: path))
        let memory = try source.loadReportingAbsent()
        let spilled = try source.loadReportingAbsent(spillDirectory: folder, chunkBytes: 2 * 3074)
        expectSpilledCopy(spilled.data, of: memory.data)
        #expect(spilled.absent == memory.absent)
    }

    /// An archive whose members are out of the official order (test batch first, train batches
    /// shuffled) still gives train then test end to end, in official batch order.
    @Test func cifarArchiveOutOfOrderIsLaidOutInOfficialOrder() throws {
        let folder = try ScratchFolder.make("spill-cifar-order")
        defer { ScratchFolder.remove(folder) }
        let fixture = TestPaths.fixture("cifar/cifar-10-batches-bin")
        var tar = TarWriter()
        for file in ["test_batch.bin", "data_batch_3.bin", "batches.meta.txt", "data_batch_1.bin", "data_batch_5.bin",
                     "data_batch_2.bin", "data_batch_4.bin"] {
            tar.addFile(path: "cifar-10-batches-bin/" + file, bytes: try FileIO.read(fixture + "/" + file))
        }
        let archive = folder + "/shuffled.tar.gz"
        try FileIO.writeAtomically(Gzip.compress(tar.finish()), to: archive)
        let source = CIFARSource(archive: archive)
        let spilled = try source.loadReportingAbsent(spillDirectory: folder, chunkBytes: 3 * 3073)
        expectSpilledCopy(spilled.data, of: try #require(CIFARSource(folder: fixture)).load())
    }

    /// Corrupt batches fail spilled exactly as in memory: a bad label in a later chunk names
    /// its record and file offset; a partial record, a CIFAR-100 file read as CIFAR-10.
    @Test(arguments: ["cifar10-label-out-of-range.bin", "partial-record.bin", "cifar100-wrong-superclass.bin",
                      "cifar100-fine-out-of-range.bin"])
    func corruptBatchFailsAsInMemory(_ file: String) throws {
        let folder = try ScratchFolder.make("spill-cifar-bad")
        defer { ScratchFolder.remove(folder) }
        let path = TestPaths.fixture("cifar/corrupt/" + file)
        let variant: CIFARVariant = file.hasPrefix("cifar100") ? .cifar100 : .cifar10
        var memory: DataPrepError?, spilled: DataPrepError?
        do { _ = try CIFARBatch.dataset(file: path, variant: variant) } catch let error as DataPrepError { memory = error }
        do { _ = try CIFARBatch.dataset(file: path, variant: variant, spillDirectory: folder, chunkBytes: 1) } catch let error as DataPrepError { spilled = error }
        #expect(memory != nil)
        #expect(spilled == memory)
    }

    /// A bad label in the third record of a batch read one record per chunk: the error names
    /// record 2 at offset 2 × 3073, as the in-memory decoder does.
    @Test func labelErrorInALaterChunkNamesItsRecord() throws {
        let folder = try ScratchFolder.make("spill-cifar-label")
        defer { ScratchFolder.remove(folder) }
        var bytes = [UInt8](repeating: 7, count: 4 * 3073)
        bytes[2 * 3073] = 10
        let path = folder + "/test_batch.bin"
        try FileIO.writeAtomically(bytes, to: path)
        #expect(throws: DataPrepError.labelOutOfRange(path: path, record: 2, offset: 2 * 3073, label: 10, classCount: 10)) {
            _ = try CIFARBatch.dataset(file: path, variant: .cifar10, spillDirectory: folder, chunkBytes: 3073)
        }
    }

    /// A lone batch file through `LoadedDataset.load`: spilled, mapped, equal.
    @Test func loneBatchSpills() throws {
        let folder = try ScratchFolder.make("spill-cifar-batch")
        defer { ScratchFolder.remove(folder) }
        let path = TestPaths.fixture("cifar/cifar-100-binary/test.bin")
        var options = LoadedDataset.Options(threads: 1, hashSources: true)
        let memory = try LoadedDataset.load(path: path, options: options)
        options.spillDirectory = folder
        let spilled = try LoadedDataset.load(path: path, options: options)
        expectSpilledCopy(spilled.splits, of: memory.splits)
        #expect(spilled.sourceHashes == memory.sourceHashes)
    }

    /// `CIFARMerge` with a spill folder prepares the same splits and manifest as in memory; the
    /// merged train and test are mapped windows of one file.
    @Test func mergeSpillsTheSameResult() throws {
        let folder = try ScratchFolder.make("spill-merge")
        defer { ScratchFolder.remove(folder) }
        var merge = try CIFARMerge(cifar10: TestPaths.fixture("cifar/cifar-10-binary.tar.gz"),
                                   cifar100: TestPaths.fixture("cifar/cifar-100-binary"), superclass: "13",
                                   balance: .oversample, seed: 12, threads: 2)
        let memory = try merge.prepare()
        merge.spillDirectory = folder
        let spilled = try merge.prepare()
        #expect(spilled.prepared.splits.map(\.name) == memory.prepared.splits.map(\.name))
        expectSpilledCopy(SplitDataset(splits: spilled.prepared.splits), of: SplitDataset(splits: memory.prepared.splits))
        #expect(spilled.prepared.manifest == memory.prepared.manifest)
        #expect(spilled.report.duplicateGroups == memory.report.duplicateGroups)
        #expect(spilled.report.duplicatesAcrossSplits == memory.report.duplicatesAcrossSplits)
        #expect(spilled.report.notes == memory.report.notes)
        #expect(try FileIO.listAll(folder).isEmpty)
    }
}

/// The spill file never has a name in its folder, not even while it is open: a kill at any
/// moment (`KillTests` found one between `mkstemp` and `unlink`) leaves nothing behind.
@Suite struct SpillFileNamelessTests {
    @Test func theFolderStaysEmptyWhileTheFileIsWrittenAndMapped() throws {
        let folder = try ScratchFolder.make("spill-nameless")
        defer { ScratchFolder.remove(folder) }
        let spill = try SpillFile(directory: folder)
        #expect(try FileIO.listAll(folder).isEmpty)
        let bytes: [UInt8] = Array(0..<200)
        try bytes.withUnsafeBytes { try spill.append($0) }
        let mapped = try spill.mapped()
        #expect(try FileIO.listAll(folder).isEmpty)
        #expect(mapped.withUnsafeBytes { Array($0) } == bytes)
    }
}
