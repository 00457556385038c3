import Foundation
#if canImport(Glibc)
import Glibc
#endif
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
        let name = lastPathComponent(staged.stagingPath)
        #expect(name.hasPrefix(".out.partial-\(getpid())-") && name.count > ".out.partial-\(getpid())-".count)
        #expect(try Self.entries(parent) == [name, name + ".lock"])   // nothing at the final path while writing
        try Self.write("new", to: staged.stagingPath + "/dataset.json")
        try staged.commit()
        #expect(try Self.entries(parent) == ["out"])   // lock file gone too
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

    /// Leftovers named the old way (`.NAME.partial-PID`, no lock file) are still judged by their
    /// PID, the only thing they record; our own PID cannot own one.
    @Test func legacyStagingOfADeadProcessIsRemovedOthersAreKept() throws {
        let parent = try ScratchFolder.make("staged")
        defer { ScratchFolder.remove(parent) }
        let dead = try Self.deadPID(), alive = getppid()
        for name in [".out.partial-\(dead)", ".out.partial-\(dead)-old", ".out.partial-\(alive)", ".other.partial-\(dead)",
                     ".out.partial-\(getpid())"] {
            try FileIO.makeDirectories(parent + "/" + name + "/train")
            try Self.write("half", to: parent + "/" + name + "/train/x.npy")
        }
        let staged = try StagedDirectory(finalPath: parent + "/out", replaceable: Self.isOurs)
        let ours = lastPathComponent(staged.stagingPath)
        #expect(try Self.entries(parent) == [".other.partial-\(dead)", ".out.partial-\(alive)", ours, ours + ".lock"].sorted())
        #expect(try Self.entries(staged.stagingPath).isEmpty)
        staged.discard()
        #expect(try Self.entries(parent) == [".other.partial-\(dead)", ".out.partial-\(alive)"])
    }

    /// Issue 13 item 8: liveness is the lock, not the PID. A writer in another PID namespace
    /// (container, NFS client) has a PID that looks dead here but holds its lock: its folder is
    /// kept. A folder whose lock nobody holds goes with its lock file; a folder whose lock file
    /// is not there yet (its owner is between the two steps of creating it) is kept.
    @Test func stagingIsRemovedOnlyWhenItsLockIsFree() throws {
        let parent = try ScratchFolder.make("staged")
        defer { ScratchFolder.remove(parent) }
        let dead = try Self.deadPID()
        let live = ".out.partial-\(dead)-a1", abandoned = ".out.partial-\(dead)-b2", unlocked = ".out.partial-\(dead)-c3"
        for name in [live, abandoned, unlocked] {
            try FileIO.makeDirectories(parent + "/" + name + "/train")
            try Self.write("half", to: parent + "/" + name + "/train/x.npy")
        }
        try Self.write("", to: parent + "/" + abandoned + ".lock")
        try Self.write("", to: parent + "/" + ".out.partial-\(dead)-d4.lock")   // orphan lock: its folder is gone
        let holder = open(parent + "/" + live + ".lock", O_RDWR | O_CREAT, 0o644)
        try #require(holder >= 0 && flock(holder, LOCK_EX | LOCK_NB) == 0)
        defer { close(holder) }

        let staged = try StagedDirectory(finalPath: parent + "/out", replaceable: Self.isOurs)
        let ours = lastPathComponent(staged.stagingPath)
        #expect(try Self.entries(parent) == [live, live + ".lock", ours, ours + ".lock", unlocked].sorted())
        #expect(try Self.text(parent + "/" + live + "/train/x.npy") == "half")
        try staged.commit()
        #expect(try Self.entries(parent) == [live, live + ".lock", "out", unlocked].sorted())
    }

    /// The staged tree is checked before the rename: an output missing an array is never
    /// committed (it used to be, with exit 0, after another process deleted files under it).
    @Test func anIncompleteDatasetIsNotCommitted() throws {
        let parent = try ScratchFolder.make("staged")
        defer { ScratchFolder.remove(parent) }
        let staged = try StagedDirectory(finalPath: parent + "/out", replaceable: SplitOutput.isReplaceable)
        try DatasetWriter().write(DatasetWriterTests.prepared(), into: staged.stagingPath)
        try SplitOutput.verifyComplete(staged.stagingPath)   // complete as written
        try FileIO.removeTree(staged.stagingPath + "/test/x.npy")
        #expect(throws: DataPrepError.inconsistent(path: staged.stagingPath + "/test/x.npy", reason: "missing from the staged output; not committed")) {
            try staged.commit(verify: SplitOutput.verifyComplete)
        }
        // A short array (2 samples x 2x3x3 uint8 = 36 data bytes after the 128-byte header).
        try FileIO.writeAtomically(Array(try FileIO.read(staged.stagingPath + "/train/x.npy").dropLast(5)), to: staged.stagingPath + "/test/x.npy")
        #expect(throws: DataPrepError.truncated(path: staged.stagingPath + "/test/x.npy", expected: 128 + 36, found: 128 + 54 - 5)) {
            try staged.commit(verify: SplitOutput.verifyComplete)
        }
        #expect(!FileIO.exists(parent + "/out"))
        staged.discard()
        #expect(try Self.entries(parent).isEmpty)
    }

    @Test func missingParentsAreCreated() throws {
        let parent = try ScratchFolder.make("staged")
        defer { ScratchFolder.remove(parent) }
        let staged = try StagedDirectory(finalPath: parent + "/a/b/out", replaceable: Self.isOurs)
        try staged.commit()
        #expect(FileIO.isDirectory(parent + "/a/b/out"))
    }
}
