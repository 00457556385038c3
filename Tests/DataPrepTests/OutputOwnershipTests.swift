import Foundation
import Testing
import TestSupport
@testable import DataPrep

/// Issue 13 item 6: `split --out` replaces only a complete dataprep dataset, recognised by its
/// content (`"format": "dataprep-dataset"` + version, our schema, the manifest, nothing foreign);
/// another tool's `dataset.json` folder is refused and left byte-identical.
@Suite struct OutputOwnershipTests {
    static let refusal = "folder is not empty and was not written by dataprep; refusing to replace it (choose another --out)"

    /// An nnU-Net v2 raw dataset folder: `dataset.json` with its own keys beside imagesTr/.
    static func nnUNetFolder(in parent: String) throws -> String {
        let folder = parent + "/Dataset001_Heart"
        try FileIO.makeDirectories(folder + "/imagesTr")
        try FileIO.writeAtomically(Array(#"{"channel_names": {"0": "MRI"}, "labels": {"background": 0, "left atrium": 1}, "numTraining": 20, "file_ending": ".nii.gz"}"#.utf8),
                                   to: folder + "/dataset.json")
        try FileIO.writeAtomically([1, 2, 3], to: folder + "/imagesTr/la_003_0000.nii.gz")
        return folder
    }

    @Test func anotherToolsDatasetJSONIsRefusedAndKept() throws {
        let parent = try ScratchFolder.make("ownership")
        defer { ScratchFolder.remove(parent) }
        let folder = try Self.nnUNetFolder(in: parent)
        let before = try ScratchFolder.digests(folder)
        #expect(!SplitOutput.isReplaceable(folder))
        #expect(throws: DataPrepError.io(path: folder, reason: Self.refusal)) {
            try StagedDirectory(finalPath: folder, replaceable: SplitOutput.isReplaceable)
        }
        #expect(try ScratchFolder.digests(folder) == before)
        #expect(try FileIO.listAll(parent) == ["Dataset001_Heart"])   // no staging folder or lock either
    }

    @Test func ourOwnOutputIsReplaceableUntilSomethingForeignIsAdded() throws {
        let parent = try ScratchFolder.make("ownership")
        defer { ScratchFolder.remove(parent) }
        let folder = parent + "/out"
        try FileIO.makeDirectories(folder)
        try DatasetWriter(formats: [.npy, .png, .idx]).write(DatasetWriterTests.prepared(), into: folder)
        #expect(SplitOutput.isReplaceable(folder))
        // A leftover temp file of a killed write is ours too.
        try FileIO.writeAtomically([0], to: folder + "/.manifest.csv.tmp-123")
        #expect(SplitOutput.isReplaceable(folder))
        // The user's file (or a model saved inside) makes the folder not ours to delete.
        try FileIO.writeAtomically(Array("mine".utf8), to: folder + "/notes.txt")
        #expect(SplitOutput.foreignEntries(folder) == ["notes.txt"])
        #expect(throws: DataPrepError.io(path: folder, reason: Self.refusal)) {
            try StagedDirectory(finalPath: folder, replaceable: SplitOutput.isReplaceable)
        }
        try FileIO.removeTree(folder + "/notes.txt")
        // Without its manifest it is not a complete output of ours.
        try FileIO.removeTree(folder + "/manifest.json")
        #expect(!SplitOutput.isReplaceable(folder))
    }

    /// A `dataset.json` claiming our format but not our schema (no splits) is not ours.
    @Test func ourFormatNameWithoutOurSchemaIsNotEnough() throws {
        let parent = try ScratchFolder.make("ownership")
        defer { ScratchFolder.remove(parent) }
        try FileIO.writeAtomically(Array(#"{"format": "dataprep-dataset", "version": 1}"#.utf8), to: parent + "/dataset.json")
        try FileIO.writeAtomically([], to: parent + "/manifest.json")
        #expect(!SplitOutput.isReplaceable(parent))
    }
}
