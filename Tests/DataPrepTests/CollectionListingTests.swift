import Foundation
import Testing
import TestSupport
@testable import DataPrep
#if canImport(Glibc)
import Glibc
#endif

/// Issue 13 items 9, 11 and 16: what a photo folder holds besides images is reported with the
/// right reason (never opened if opening could hang), `--strict` fails on entries that look like
/// images but cannot be read, reports escape hostile names, and a single wrapping folder is
/// descended through instead of becoming the only class.
@Suite struct CollectionListingTests {
    static func png(_ value: UInt8) throws -> [UInt8] {
        try PNG.encode(Image(width: 2, height: 2, channels: 3, pixels: [UInt8](repeating: value, count: 12)))
    }

    /// Removes trees whose paths exceed PATH_MAX (FileManager cannot): `rm -rf` walks by descriptor.
    static func removeDeep(_ path: String) {
        let rm = Process()
        rm.executableURL = URL(fileURLWithPath: "/bin/rm")
        rm.arguments = ["-rf", path]
        try? rm.run()
        rm.waitUntilExit()
    }

    @Test func aFIFOIsReportedNeverOpened() throws {
        let root = try ScratchFolder.make("fifo")
        defer { ScratchFolder.remove(root) }
        try FileIO.makeDirectories(root + "/cat"); try FileIO.makeDirectories(root + "/dog")
        try FileIO.writeAtomically(Self.png(10), to: root + "/cat/a.png")
        try FileIO.writeAtomically(Self.png(20), to: root + "/dog/b.png")
        try #require(mkfifo(root + "/cat/pipe.jpg", 0o644) == 0)
        // Opening it directly is refused at once (a plain open would wait for a writer forever).
        #expect(throws: DataPrepError.io(path: root + "/cat/pipe.jpg", reason: "not a regular file (a FIFO)")) {
            try FileIO.read(root + "/cat/pipe.jpg")
        }
        #expect(throws: DataPrepError.io(path: root + "/cat/pipe.jpg", reason: "not a regular file (a FIFO)")) {
            try DatasetSource.open(root + "/cat/pipe.jpg")
        }
        let collection = try ImageCollection(folder: root)
        let expected = SkippedFile(path: root + "/cat/pipe.jpg", reason: "not a regular file (a FIFO)")
        #expect(collection.skipped == [expected] && collection.unusable == [expected])
        #expect(collection.count == 2)
        let (data, skipped) = try collection.load(.init(width: 2, height: 2))
        #expect(data.splits[0].data.count == 2 && skipped == [expected])
        #expect(throws: DataPrepError.unsupported(path: root + "/cat/pipe.jpg", reason: "not a regular file (a FIFO) (--strict)")) {
            try collection.load(.init(width: 2, height: 2, strict: true))
        }
        #expect(throws: DataPrepError.self) { try DatasetInspector(strict: true).inspect(root) }
        #expect(try DatasetInspector().inspect(root).skipped == [expected])
    }

    /// A folder named like an image, a trailing-space extension, a name that is not UTF-8 and
    /// a path past PATH_MAX: each reported with its own reason; `--strict` fails on them.
    @Test func nearImagesAreReportedWithTheirReason() throws {
        let root = try ScratchFolder.make("near-images")
        defer { Self.removeDeep(root) }
        try FileIO.writeAtomically(Self.png(10), to: root + "/cat.0.png")
        try FileIO.writeAtomically(Self.png(20), to: root + "/dog.0.png")
        try FileIO.makeDirectories(root + "/cat.1.jpg")
        try FileIO.writeAtomically(Self.png(30), to: root + "/cat.2.jpg ")
        let badName: [UInt8] = Array("dog.".utf8) + [0xFF] + Array("1.png".utf8)
        let fd = (root + "/").withCString { prefix -> Int32 in
            let path = Array(UnsafeBufferPointer(start: UnsafeRawPointer(prefix).assumingMemoryBound(to: UInt8.self), count: strlen(prefix))) + badName + [0]
            return path.withUnsafeBufferPointer { open(UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), O_WRONLY | O_CREAT, 0o644) }
        }
        try #require(fd >= 0); close(fd)

        let collection = try ImageCollection(folder: root)
        #expect(collection.layout == .kaggleNamed && collection.count == 2)
        #expect(collection.unusable == [
            SkippedFile(path: root + "/cat.1.jpg/", reason: "a folder named like an image file, not an image"),
            SkippedFile(path: root + "/cat.2.jpg ", reason: "name has 1 whitespace character(s) after its extension '.jpg': not read as an image"),
            SkippedFile(path: root + "/dog.\\xFF1.png", reason: "file name is not valid UTF-8"),
        ])
        #expect(throws: DataPrepError.unsupported(path: root + "/cat.1.jpg/", reason: "a folder named like an image file, not an image (--strict)")) {
            try collection.load(.init(width: 2, height: 2, strict: true))
        }
    }

    @Test func pathsBeyondPathMaxAreReported() throws {
        let root = try ScratchFolder.make("deep")
        defer { Self.removeDeep(root) }
        try FileIO.makeDirectories(root + "/cat"); try FileIO.makeDirectories(root + "/dog")
        try FileIO.writeAtomically(Self.png(10), to: root + "/cat/a.png")
        // dog/ddd…/ddd…/… built by descriptor (mkdirat), 200-byte components, until past 4096.
        let component = String(repeating: "d", count: 200)
        var dirFD = open(root + "/dog", O_RDONLY | O_DIRECTORY)
        var relative = "dog", reported: String?
        while reported == nil {
            try #require(mkdirat(dirFD, component, 0o755) == 0)
            let next = openat(dirFD, component, O_RDONLY | O_DIRECTORY)
            close(dirFD); dirFD = next
            relative += "/" + component
            if (root + "/" + relative).utf8.count >= 4096 { reported = relative }
        }
        let file = openat(dirFD, "b.png", O_WRONLY | O_CREAT, 0o644)
        close(file); close(dirFD)
        let collection = try ImageCollection(folder: root)
        let full = root + "/" + reported!
        #expect(collection.unusable == [SkippedFile(path: full, reason: "path is \(full.utf8.count) bytes, longer than PATH_MAX (4096); it cannot be opened")])
        #expect(throws: DataPrepError.self) { try collection.load(.init(width: 2, height: 2, strict: true)) }
    }

    @Test func hostileNamesAreEscapedForDisplay() {
        #expect(DisplayText.escaped("cat\nforged: line.jpg") == "cat\\nforged: line.jpg")
        #expect(DisplayText.escaped("photo\u{202E}gpj.exe") == "photo\\u{202E}gpj.exe")
        #expect(DisplayText.escaped("a\u{1B}[31mred\tb\r") == "a\\u{1B}[31mred\\tb\\r")
        #expect(DisplayText.escaped("ünïcödé 猫.jpg") == "ünïcödé 猫.jpg")
        #expect(DisplayText.escapedBytes(Array("d\u{e9}".utf8) + [0xFF, 0xC3] + Array("\n".utf8)) == "d\u{e9}\\xFF\\xC3\\n")
    }

    /// Microsoft's cats-and-dogs zip: `PetImages/{Cat,Dog}` beside a readme.
    @Test func aSingleWrappingFolderIsDescendedThrough() throws {
        let root = try ScratchFolder.make("petimages")
        defer { ScratchFolder.remove(root) }
        for (cls, value) in [("Cat", UInt8(1)), ("Dog", 2)] {
            try FileIO.makeDirectories(root + "/PetImages/" + cls)
            for i in 0..<2 { try FileIO.writeAtomically(Self.png(value + UInt8(i * 10)), to: root + "/PetImages/\(cls)/\(i).png") }
        }
        try FileIO.writeAtomically(Array("readme".utf8), to: root + "/readme[1].txt")
        let collection = try ImageCollection(folder: root)
        #expect(collection.layout == .classFolders)
        #expect(collection.classNames == ["Cat", "Dog"])
        #expect(collection.splits.map(\.name) == ["all"])
        #expect(collection.splits[0].items == [CollectionItem(path: "PetImages/Cat/0.png", label: 0), CollectionItem(path: "PetImages/Cat/1.png", label: 0),
                                               CollectionItem(path: "PetImages/Dog/0.png", label: 1), CollectionItem(path: "PetImages/Dog/1.png", label: 1)])
        #expect(collection.skipped == [SkippedFile(path: root + "/readme[1].txt", reason: "not a JPEG or PNG file")])
        // A single split folder keeps its name: not a wrapper.
        let split = try ScratchFolder.make("train-only")
        defer { ScratchFolder.remove(split) }
        try FileIO.makeDirectories(split + "/train/cat"); try FileIO.makeDirectories(split + "/train/dog")
        try FileIO.writeAtomically(Self.png(1), to: split + "/train/cat/a.png")
        try FileIO.writeAtomically(Self.png(2), to: split + "/train/dog/b.png")
        #expect(try ImageCollection(folder: split).splits.map(\.name) == ["train"])
    }

    /// One class is an error unless asked for (`--allow-single-class`).
    @Test func aSingleClassSplitIsAnErrorUnlessAllowed() throws {
        let root = try ScratchFolder.make("one-class")
        defer { ScratchFolder.remove(root) }
        try FileIO.makeDirectories(root + "/PetImages")
        for i in 0..<4 { try FileIO.writeAtomically(Self.png(UInt8(i)), to: root + "/PetImages/\(i).png") }
        var job = SplitJob(source: root, spec: try SplitSpec(sizes: .ratios([0.5, 0.5]), names: nil, allowShort: false), seed: 1,
                           load: LoadedDataset.Options(size: (2, 2)))
        #expect(throws: SplitError.singleClass(source: root, classNames: ["PetImages"])) { try job.prepare() }
        #expect(SplitError.singleClass(source: "s", classNames: ["PetImages"]).description
                == "s: only class 'PetImages' has samples; a classifier needs at least two. Check the layout (one folder per class, "
                + "or names like cat.1.jpg) or pass --allow-single-class if one class is really meant")
        job.allowSingleClass = true
        #expect(try job.prepare().prepared.splits.map(\.data.count) == [2, 2])
    }
}
