import DataPrep
import Foundation
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Issue 13 ("fidelity and trust") through the binary: interrupted writes leave nothing, other
/// tools' folders are never replaced, FIFOs never hang, hostile names are escaped, a run that
/// cannot fit in memory says so, each with its exit code, message and what is left on disk.
@Suite(.serialized) struct SafetyCommandTests {
    /// Runs `dataprep ARGS` with extra environment variables; fails the test (and kills the
    /// process) if it has not finished within `timeout` seconds, so a hang is a failure.
    static func run(_ arguments: [String], environment: [String: String] = [:], timeout: Double = 60) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandRunner.binary)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        let reader = DispatchQueue.global()
        nonisolated(unsafe) var outData = Data(), errData = Data()
        let group = DispatchGroup()
        reader.async(group: group) { outData = out.fileHandleForReading.readDataToEndOfFile() }
        reader.async(group: group) { errData = err.fileHandleForReading.readDataToEndOfFile() }
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            Issue.record("dataprep \(arguments.joined(separator: " ")) still running after \(timeout) s: killed")
        }
        process.waitUntilExit()
        group.wait()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }

    // MARK: Item 15: SIGINT / SIGTERM during split

    /// The signal lands while the staged output is being written (the staging folder exists):
    /// the process dies of that signal (a shell shows 130 / 143), nothing is committed, and no
    /// staging folder or lock file is left.
    @Test(arguments: [SIGINT, SIGTERM])
    func aSignalDuringSplitLeavesNothing(signal: Int32) throws {
        let source = try Robustness.pngFolder(count: 400)
        defer { ScratchFolder.remove(source) }
        let dir = try ScratchFolder.make("signal")
        defer { ScratchFolder.remove(dir) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandRunner.binary)
        process.arguments = ["split", source, "--ratios", "0.8,0.2", "--resize", "16x16", "--format", "png,wds,idx,cifar", "--seed", "1",
                             "--threads", "1", "--no-progress", "--out", dir + "/out"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait for the staging folder to hold files, then interrupt.
        var staging: String?
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning && Date() < deadline {
            if let name = try FileIO.listAll(dir).first(where: { $0.hasPrefix(".out.partial-") && !$0.hasSuffix(".lock") }),
               (try? FileIO.listAll(dir + "/" + name))?.isEmpty == false {
                staging = name
                break
            }
            Thread.sleep(forTimeInterval: 0.002)
        }
        try #require(staging != nil && process.isRunning, "split finished before the signal could land")
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == signal)
        #expect(try FileIO.listAll(dir) == [], "left behind after signal \(signal)")
    }

    // MARK: Item 6: another tool's dataset.json

    @Test func splitRefusesAnNnUNetFolderAndLeavesItByteIdentical() throws {
        let dir = try ScratchFolder.make("nnunet")
        defer { ScratchFolder.remove(dir) }
        let folder = dir + "/Dataset001_Heart"
        try FileIO.makeDirectories(folder + "/imagesTr")
        try FileIO.writeAtomically(Array(#"{"channel_names": {"0": "MRI"}, "labels": {"background": 0}, "numTraining": 1}"#.utf8), to: folder + "/dataset.json")
        try FileIO.writeAtomically([7, 7, 7], to: folder + "/imagesTr/la_003_0000.nii.gz")
        let before = try ScratchFolder.digests(folder)
        let result = try Self.run(["split", TestPaths.fixture("idx/mnist"), "--ratios", "0.5,0.5", "--seed", "1", "--no-progress", "--out", folder])
        #expect(result.status == 1)
        #expect(result.stderr == "error: \(folder): cannot access: folder is not empty and was not written by dataprep; refusing to replace it (choose another --out)\n")
        #expect(try ScratchFolder.digests(folder) == before)
        #expect(try FileIO.listAll(dir) == ["Dataset001_Heart"])
        // Our own earlier output is still replaced.
        let ours = dir + "/ours"
        for _ in 0..<2 {
            let again = try Self.run(["split", TestPaths.fixture("idx/mnist"), "--ratios", "0.5,0.5", "--seed", "1", "--no-progress", "--out", ours])
            #expect(again.status == 0, "\(again.stderr)")
        }
    }

    // MARK: Item 9: FIFOs

    @Test func aFIFOArgumentOrMemberNeverHangs() throws {
        let dir = try ScratchFolder.make("fifo-cli")
        defer { ScratchFolder.remove(dir) }
        try #require(mkfifo(dir + "/pipe.jpg", 0o644) == 0)
        let info = try Self.run(["info", dir + "/pipe.jpg", "--no-progress"], timeout: 20)
        #expect(info.status == 1)
        #expect(info.stderr == "error: \(dir)/pipe.jpg: cannot access: not a regular file (a FIFO)\n")

        let photos = try Robustness.pngFolder(count: 4)
        defer { ScratchFolder.remove(photos) }
        try #require(mkfifo(photos + "/cat/pipe.png", 0o644) == 0)
        let split = try Self.run(["split", photos, "--ratios", "0.5,0.5", "--resize", "4x4", "--seed", "1", "--no-progress", "--out", dir + "/out"], timeout: 20)
        #expect(split.status == 0, "\(split.stderr)")
        #expect(split.stdout.contains("skipped 1 unreadable files:\n  \(photos)/cat/pipe.png: not a regular file (a FIFO)"))
        let strict = try Self.run(["split", photos, "--ratios", "0.5,0.5", "--resize", "4x4", "--seed", "1", "--no-progress", "--strict",
                                   "--out", dir + "/strict"], timeout: 20)
        #expect(strict.status == 1)
        #expect(strict.stderr == "error: \(photos)/cat/pipe.png: unsupported: not a regular file (a FIFO) (--strict)\n")
        #expect(!FileIO.exists(dir + "/strict"))
    }

    // MARK: Item 16: escaped reports

    @Test func skippedFileReportsEscapeHostileNames() throws {
        let photos = try Robustness.pngFolder(count: 4)
        defer { ScratchFolder.remove(photos) }
        try FileIO.writeAtomically([0], to: photos + "/cat/forged\nline: ok.txt")
        try FileIO.writeAtomically([0], to: photos + "/cat/photo\u{202E}gpj.txt")
        try FileIO.makeDirectories(photos + "/dog/dog.1.jpg")
        let info = try Self.run(["info", photos, "--no-progress"])
        #expect(info.status == 0, "\(info.stderr)")
        #expect(info.stdout.contains("    \(photos)/cat/forged\\nline: ok.txt: not a JPEG or PNG file\n"))
        #expect(info.stdout.contains("    \(photos)/cat/photo\\u{202E}gpj.txt: not a JPEG or PNG file\n"))
        #expect(info.stdout.contains("    \(photos)/dog/dog.1.jpg/: a folder named like an image file, not an image"))
        #expect(!info.stdout.contains("\u{202E}") && !info.stdout.contains("forged\nline"))
        let strict = try Self.run(["info", photos, "--no-progress", "--strict"])
        #expect(strict.status == 1)
        #expect(strict.stderr == "error: \(photos)/dog/dog.1.jpg/: unsupported: a folder named like an image file, not an image (--strict)\n")
    }

    // MARK: Item 11: a wrapping folder and single-class splits

    @Test func petImagesSplitsIntoItsTwoClassesAndOneClassIsRefused() throws {
        let root = try ScratchFolder.make("petimages-cli")
        defer { ScratchFolder.remove(root) }
        let photos = try Robustness.pngFolder(count: 8)
        defer { ScratchFolder.remove(photos) }
        try FileIO.makeDirectories(root + "/kaggle")
        rename(photos, root + "/kaggle/PetImages")
        try FileIO.writeAtomically(Array("readme".utf8), to: root + "/kaggle/readme[1].txt")
        let split = try Self.run(["split", root + "/kaggle", "--ratios", "0.5,0.5", "--resize", "4x4", "--seed", "1", "--no-progress",
                                  "--out", root + "/out"])
        #expect(split.status == 0, "\(split.stderr)")
        #expect(try FileIO.read(root + "/out/classes.txt") == Array("cat\ndog\n".utf8))

        // Only cat/ left: one class, refused unless --allow-single-class.
        let one = root + "/one"
        try FileIO.makeDirectories(one)
        rename(root + "/kaggle/PetImages/cat", one + "/cat")
        let single = try Self.run(["split", one, "--ratios", "0.5,0.5", "--resize", "4x4", "--seed", "1", "--no-progress", "--out", root + "/one-out"])
        #expect(single.status == 1)
        #expect(single.stderr == "error: \(one): only class 'cat' has samples; a classifier needs at least two. Check the layout (one folder per class, "
                + "or names like cat.1.jpg) or pass --allow-single-class if one class is really meant\n")
        #expect(!FileIO.exists(root + "/one-out"))
        let allowed = try Self.run(["split", one, "--ratios", "0.5,0.5", "--resize", "4x4", "--seed", "1", "--no-progress", "--allow-single-class",
                                    "--out", root + "/one-out"])
        #expect(allowed.status == 0, "\(allowed.stderr)")
    }

    // MARK: Item 14: memory

    /// A collection is streamed through spill files beside the output: 150 photos at 12x12
    /// RGB (259,200 bytes in 4 in-memory copies) now split with 100,000 bytes of budget and
    /// leave only the output; so is a CIFAR folder (30 records of 3072 bytes) with 1000 bytes.
    /// A copy still made in memory (a CIFAR folder converted by --grayscale after decoding) is
    /// stopped before decoding with exit 1 and a sentence, not an abort (134).
    @Test func splitThatCannotFitInMemoryFailsUpFront() throws {
        let photos = try Robustness.pngFolder(count: 150)
        defer { ScratchFolder.remove(photos) }
        let dir = try ScratchFolder.make("memory-cli")
        defer { ScratchFolder.remove(dir) }
        let streamed = try Self.run(["split", photos, "--ratios", "0.5,0.5", "--resize", "12x12", "--seed", "1", "--no-progress", "--out", dir + "/out"],
                                    environment: ["DATAPREP_MEMORY_LIMIT": "100000"])
        #expect(streamed.status == 0, "\(streamed.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["out"], "no spill or staging file is left")
        let cifar = "Fixtures/cifar/cifar-10-batches-bin"
        let spilled = try Self.run(["split", cifar, "--ratios", "0.5,0.5", "--seed", "1", "--no-progress", "--out", dir + "/cifar-out"],
                                   environment: ["DATAPREP_MEMORY_LIMIT": "1000"])
        #expect(spilled.status == 0, "\(spilled.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["cifar-out", "out"], "no spill or staging file is left")
        let result = try Self.run(["split", cifar, "--ratios", "0.5,0.5", "--grayscale", "--seed", "1", "--no-progress", "--out", dir + "/gray-out"],
                                  environment: ["DATAPREP_MEMORY_LIMIT": "1000"])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("error: \(cifar): needs about ") && result.stderr.contains("× 1 copy held at once; available from DATAPREP_MEMORY_LIMIT)"),
                "\(result.stderr)")
        #expect(!FileIO.exists(dir + "/gray-out"))
    }
}
