import Foundation
import Testing
import TestSupport
@testable import DataPrep

/// Issue 13 item 10: a CIFAR copy with part of a split missing, or a batch stored as a tar
/// member we cannot read (symlink, hard link, GNU sparse `S`, volume label `V`), is an error
/// naming the part: it used to load fewer records with exit 0, even with `--strict`.
@Suite struct CIFARCompletenessTests {
    static let folder = TestPaths.fixture("cifar/cifar-10-batches-bin")
    static let batchNames = ["data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin", "test_batch.bin"]

    @Test func aFolderMissingOneTrainBatchIsAnError() throws {
        let copy = try ScratchFolder.make("cifar-missing")
        defer { ScratchFolder.remove(copy) }
        for name in Self.batchNames + ["batches.meta.txt"] where name != "data_batch_3.bin" {
            try FileIO.writeAtomically(FileIO.read(Self.folder + "/" + name), to: copy + "/" + name)
        }
        #expect(throws: DataPrepError.inconsistent(path: copy, reason: "cifar-10 train split is incomplete: data_batch_3.bin missing "
                                                   + "(4 of 5 batches found); re-download or re-extract the archive")) {
            try CIFARSource(folder: copy)!.load()
        }
        // Through the loaders `split` and `info` use, too.
        #expect(throws: DataPrepError.self) { try LoadedDataset.load(path: copy) }
        #expect(throws: DataPrepError.self) { try DatasetInspector().inspect(copy) }
    }

    /// A wholly absent split (an archive that lost `test_batch.bin`) still loads what is there,
    /// but is reported like a skipped file wherever sources are reported, and `--strict` refuses it.
    @Test func aWhollyAbsentSplitIsReportedAndStrictRefusesIt() throws {
        let copy = try ScratchFolder.make("cifar-absent")
        defer { ScratchFolder.remove(copy) }
        for name in Self.batchNames + ["batches.meta.txt"] where name != "test_batch.bin" {
            try FileIO.writeAtomically(FileIO.read(Self.folder + "/" + name), to: copy + "/" + name)
        }
        let expected = SkippedFile(path: copy + "/test_batch.bin", reason: "missing: the cifar-10 test split is absent (a complete download has it)")
        let loaded = try LoadedDataset.load(path: copy)
        #expect(loaded.splits.splits.map(\.name) == ["train"])
        #expect(loaded.skipped == [expected])
        #expect(try DatasetInspector().inspect(copy).skipped == [expected])
        #expect(throws: DataPrepError.inconsistent(path: copy, reason: "\(expected.path): \(expected.reason) (--strict)")) {
            try LoadedDataset.load(path: copy, options: LoadedDataset.Options(strict: true))
        }
        #expect(throws: DataPrepError.self) { try DatasetInspector(strict: true).inspect(copy) }
    }

    /// The six batches as a tar, member `index` turned into `typeflag` (its data kept, as a
    /// sparse member's map would be) or a symlink.
    static func archive(replacing index: Int, typeflag: UInt8?) throws -> [UInt8] {
        var tar = TarWriter()
        for (i, name) in Self.batchNames.enumerated() {
            if i == index && typeflag == nil {
                tar.addSymlink(path: "cifar-10-batches-bin/" + name, target: "data_batch_1.bin")
            } else {
                tar.addFile(path: "cifar-10-batches-bin/" + name, bytes: try FileIO.read(Self.folder + "/" + name))
            }
        }
        var bytes = tar.finish()
        guard let typeflag else { return bytes }
        // Headers sit at 0 and after each member's data rounded up to 512 bytes.
        var offset = 0
        for name in Self.batchNames.prefix(index) { offset += 512 + (try FileIO.size(Self.folder + "/" + name) + 511) / 512 * 512 }
        var block = Array(bytes[offset..<(offset + 512)])
        block[156] = typeflag
        TarBlocks.sealChecksum(&block)
        bytes.replaceSubrange(offset..<(offset + 512), with: block)
        return bytes
    }

    // A FIFO and a character device (libarchive reads a GNU sparse member 'S' as the regular
    // file it is, holes as zeros, and a volume label 'V' carries no data, so neither is used here).
    @Test(arguments: [(UInt8?.none, "symbolic link"), (UInt8(ascii: "6"), "special tar member (sparse, volume label, device or FIFO)"),
                      (UInt8(ascii: "3"), "special tar member (sparse, volume label, device or FIFO)")])
    func aBatchStoredAsAnUnreadableMemberIsAnError(typeflag: UInt8?, kind: String) throws {
        let dir = try ScratchFolder.make("cifar-member")
        defer { ScratchFolder.remove(dir) }
        let path = dir + "/cifar-10-binary.tar"
        try FileIO.writeAtomically(Self.archive(replacing: 1, typeflag: typeflag), to: path)
        #expect(throws: DataPrepError.unsupported(path: path + ":cifar-10-batches-bin/data_batch_2.bin",
                                                  reason: "the CIFAR member is stored as a \(kind), not a regular file; its records cannot be read")) {
            try CIFARSource(archive: path).load()
        }
    }

    /// A split wholly absent (a test-only folder) is still what it is: one split, no error.
    @Test func aWholeSplitAbsentIsNotAnError() throws {
        let copy = try ScratchFolder.make("cifar-test-only")
        defer { ScratchFolder.remove(copy) }
        try FileIO.writeAtomically(FileIO.read(Self.folder + "/test_batch.bin"), to: copy + "/test_batch.bin")
        #expect(try CIFARSource(folder: copy)!.load().splits.map(\.name) == ["test"])
    }
}
