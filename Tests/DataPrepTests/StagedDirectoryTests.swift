import Foundation
import Testing
import TestSupport
@testable import DataPrep

/// `StagedDirectory`: an output folder appears complete or not at all, an earlier output is
/// replaced, and nothing that is not ours is ever deleted.
@Suite struct StagedDirectoryTests {
    /// What `dataprep` passes: a folder is ours when it holds a `dataset.json`.
    static func isOurs(_ folder: String) -> Bool { FileIO.exists(folder + "/" + DatasetDescriptor.fileName) }

    static func write(_ text: String, to path: String) throws { try FileIO.writeAtomically(Array(text.utf8), to: path) }
    static func text(_ path: String) throws -> String { String(decoding: try FileIO.read(path), as: UTF8.self) }

    /// Every entry of `parent`, hidden ones included.
    static func entries(_ parent: String) throws -> [String] { try FileIO.listAll(parent) }

    /// A pid that ran and has exited (and been reaped), so `kill(pid, 0)` fails with ESRCH.
    static func deadPID() throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        return process.processIdentifier
    }

    @Test func commitMovesTheStagingFolderIntoPlace() throws {
        let parent = try ScratchFolder.make("staged")
        defer { ScratchFolder.remove(parent) }
        let staged = try StagedDirectory(finalPath: parent + "/out", replaceable: Self.isOurs)
        #expect(staged.finalPath == parent + "/out")
        #expect(staged.stagingPath == parent + "/.out.partial-\(getpid())")
        #expect(try Self.entries(parent) == [".out.partial-\(getpid())"])   // nothing at the final path while writing
        try Self.write("new", to: staged.stagingPath + "/dataset.json")
        try staged.commit()
        #expect(try Self.entries(parent) == ["out"])
        #expect(try Self.text(parent + "/out/dataset.json") == "new")
    }

    @Test func filesThatAppearDuringTheWriteAreNeverSwappedOut() throws {
        let parent = try ScratchFolder.make("staged")
        defer { ScratchFolder.remove(parent) }
        let staged = try StagedDirectory(finalPath: parent + "/out", replaceable: Self.isOurs)
        try Self.write("new", to: staged.stagingPath + "/dataset.json")
        // Someone else creates the folder with their own file while we write.
        try FileIO.makeDirectories(parent + "/out")
        try Self.write("theirs", to: parent + "/out/notes.txt")
        #expect(throws: DataPrepError.self) { try staged.commit() }
        #expect(try Self.text(parent + "/out/notes.txt") == "theirs")
    }

    @Test func commitReplacesAnEarlierOutputWholesale() throws {
        let parent = try ScratchFolder.make("staged")
        defer { ScratchFolder.remove(parent) }
        try FileIO.makeDirectories(parent + "/out/train")
        try Self.write("old", to: parent + "/out/dataset.json")
        try Self.write("stale", to: parent + "/out/train/only-in-old.npy")
        let staged = try StagedDirectory(finalPath: parent + "/out/", replaceable: Self.isOurs)   // trailing slash forgiven
        #expect(staged.finalPath == parent + "/out")
        // Until commit the old output is untouched.
        #expect(try Self.text(parent + "/out/dataset.json") == "old")
        try Self.write("new", to: staged.stagingPath + "/dataset.json")
        try staged.commit()
        #expect(try Self.entries(parent) == ["out"])   // no staging or set-aside folder left
        #expect(try Self.entries(parent + "/out") == ["dataset.json"])
        #expect(try Self.text(parent + "/out/dataset.json") == "new")
    }

    @Test func anEmptyFolderMayBeUsed() throws {
        let parent = try ScratchFolder.make("staged")
        defer { ScratchFolder.remove(parent) }
        try FileIO.makeDirectories(parent + "/out")
        let staged = try StagedDirectory(finalPath: parent + "/out") { _ in false }
        try Self.write("x", to: staged.stagingPath + "/a")
        try staged.commit()
        #expect(try Self.entries(parent + "/out") == ["a"])
    }

    @Test func aFolderThatIsNotOursIsRefusedAndLeftAlone() throws {
        let parent = try ScratchFolder.make("staged")
        defer { ScratchFolder.remove(parent) }
        try FileIO.makeDirectories(parent + "/photos")
        try Self.write("precious", to: parent + "/photos/holiday.jpg")
        #expect(throws: DataPrepError.io(path: parent + "/photos",
                                         reason: "folder is not empty and was not written by dataprep; refusing to replace it (choose another --out)")) {
            try StagedDirectory(finalPath: parent + "/photos", replaceable: Self.isOurs)
        }
        #expect(try Self.entries(parent) == ["photos"])   // no staging folder created either
        #expect(try Self.text(parent + "/photos/holiday.jpg") == "precious")
        // Hidden files count as content too.
        try FileIO.makeDirectories(parent + "/dotfiles")
        try Self.write("x", to: parent + "/dotfiles/.keep")
        #expect(throws: DataPrepError.self) { try StagedDirectory(finalPath: parent + "/dotfiles", replaceable: Self.isOurs) }
    }

    @Test func aFileAtThePathIsRefused() throws {
        let parent = try ScratchFolder.make("staged")
        defer { ScratchFolder.remove(parent) }
        try Self.write("data", to: parent + "/out")
        #expect(throws: DataPrepError.io(path: parent + "/out", reason: "exists and is not a folder; choose another --out")) {
            try StagedDirectory(finalPath: parent + "/out") { _ in true }
        }
        #expect(try Self.text(parent + "/out") == "data")
        #expect(try Self.entries(parent) == ["out"])
    }

    @Test func discardLeavesNoStagingFolder() throws {
        let parent = try ScratchFolder.make("staged")
        defer { ScratchFolder.remove(parent) }
        let staged = try StagedDirectory(finalPath: parent + "/out", replaceable: Self.isOurs)
        try FileIO.makeDirectories(staged.stagingPath + "/train")
        try Self.write("half", to: staged.stagingPath + "/train/x.npy")
        staged.discard()
        #expect(try Self.entries(parent).isEmpty)
        // Discarding over an earlier output keeps that output.
        try FileIO.makeDirectories(parent + "/out")
        try Self.write("old", to: parent + "/out/dataset.json")
        let again = try StagedDirectory(finalPath: parent + "/out", replaceable: Self.isOurs)
        again.discard()
        #expect(try Self.entries(parent) == ["out"])
        #expect(try Self.text(parent + "/out/dataset.json") == "old")
    }

    @Test func staleStagingOfADeadProcessIsRemovedOthersAreKept() throws {
        let parent = try ScratchFolder.make("staged")
        defer { ScratchFolder.remove(parent) }
        let dead = try Self.deadPID(), alive = getppid()
        for name in [".out.partial-\(dead)", ".out.partial-\(dead)-old", ".out.partial-\(alive)", ".other.partial-\(dead)"] {
            try FileIO.makeDirectories(parent + "/" + name + "/train")
            try Self.write("half", to: parent + "/" + name + "/train/x.npy")
        }
        let staged = try StagedDirectory(finalPath: parent + "/out", replaceable: Self.isOurs)
        // The dead run's staging (and its set-aside twin) go; a live process's and another
        // output's stay; ours is fresh and empty.
        #expect(try Self.entries(parent) == [".other.partial-\(dead)", ".out.partial-\(alive)", ".out.partial-\(getpid())"].sorted())
        #expect(try Self.entries(staged.stagingPath).isEmpty)
        staged.discard()
    }

    /// A staging folder left by an earlier run of this very process id is emptied, not merged into.
    @Test func ownLeftoverStagingIsStartedAfresh() throws {
        let parent = try ScratchFolder.make("staged")
        defer { ScratchFolder.remove(parent) }
        try FileIO.makeDirectories(parent + "/.out.partial-\(getpid())")
        try Self.write("left over", to: parent + "/.out.partial-\(getpid())/junk")
        let staged = try StagedDirectory(finalPath: parent + "/out", replaceable: Self.isOurs)
        #expect(try Self.entries(staged.stagingPath).isEmpty)
        try staged.commit()
        #expect(try Self.entries(parent + "/out").isEmpty)
    }

    @Test func missingParentsAreCreated() throws {
        let parent = try ScratchFolder.make("staged")
        defer { ScratchFolder.remove(parent) }
        let staged = try StagedDirectory(finalPath: parent + "/a/b/out", replaceable: Self.isOurs)
        try staged.commit()
        #expect(FileIO.isDirectory(parent + "/a/b/out"))
    }
}
