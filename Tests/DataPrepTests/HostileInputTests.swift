import Foundation
import Testing
import TestSupport
@testable import DataPrep

/// Every file under `Fixtures/hostile/` read by the DataPrep module, each asserting its specific
/// error (the Train and Augment readers have their own suites). Fixtures: `HostileFixtures`.
@Suite struct HostileInputTests {
    static func fixture(_ name: String) -> String { TestPaths.fixture("hostile/" + name) }

    // MARK: Archive members that try to leave the output folder

    @Test func absoluteZipMemberIsRefusedOnOpen() throws {
        let path = Self.fixture("archives/absolute.zip")
        guard case let .unsafeArchiveEntry(archive, entry, reason)? = dataPrepError({ _ = try ZipArchive(path: path) }) else { return }
        #expect(archive == path && entry == "/etc/evil.txt")
        #expect(reason.contains("absolute"), "\(reason)")
    }

    @Test func windowsStyleDotDotIsRefused() throws {
        let path = Self.fixture("archives/backslash-dotdot.zip")
        guard case let .unsafeArchiveEntry(archive, entry, _)? = dataPrepError({ _ = try ZipArchive(path: path) }) else { return }
        // libarchive turns the backslashes of a DOS-made member into slashes before we see it.
        #expect(archive == path && entry == "../evil.txt")
    }

    @Test func dotDotThatClimbsPastTheRootIsRefusedWhenReached() throws {
        let path = Self.fixture("archives/nested-dotdot.tar")
        var seen: [String] = []
        guard case let .unsafeArchiveEntry(archive, entry, _)? = dataPrepError({
            var reader = try TarReader(path: path)
            try reader.forEach { entry, _ in seen.append(entry.path) }
        }) else { return }
        #expect(archive == path && entry == "a/b/../../../evil.txt")
        #expect(seen == ["a/b/ok.txt"])
    }

    /// The link is listed with no data and the member "inside" it stays a plain relative path:
    /// nothing resolves `data/` through the link, so nothing can reach `/etc`.
    @Test func symlinkOutOfTheTreeIsListedNeverFollowed() throws {
        var reader = try TarReader(path: Self.fixture("archives/symlink-escape.tar"))
        var members: [(ArchiveEntry, [UInt8])] = []
        try reader.forEach { members.append(($0, $1)) }
        #expect(members.map(\.0) == [ArchiveEntry(path: "data", size: 0, kind: .symlink),
                                     ArchiveEntry(path: "data/passwd", size: 21, kind: .file)])
        #expect(members[0].1.isEmpty)
    }

    /// A symlinked "image" in a zip collection is not an item: its target is never opened.
    @Test func symlinkMemberOfAZipCollectionIsNotAnItem() throws {
        let collection = try ImageCollection(zip: Self.fixture("archives/symlink-member.zip"))
        #expect(collection.classNames == ["cat", "dog"])
        #expect(collection.splits.flatMap(\.items).map(\.path) == ["cat/a.png", "dog/b.png"])
    }

    // MARK: Decompression bombs under the default limits

    @Test func gzipBombStopsAtTheDefaultRatio() throws {
        let path = Self.fixture("archives/zeros-32mib.gz")
        let bytes = try FileIO.read(path)
        guard case let .limitExceeded(p, what, limit, found)? = dataPrepError({ _ = try Gzip.decompress(bytes, name: path) }) else { return }
        // 1000:1 of the compressed size (past the 16 MiB grace), reached before 32 MiB was produced.
        #expect(p == path && limit == 1000 * bytes.count && found > limit && found < 32 << 20)
        #expect(what.contains("expansion ratio limit 1000:1"), "\(what)")
    }

    @Test func tarGzBombStopsAtTheDefaultRatio() throws {
        let path = Self.fixture("archives/zeros-32mib.tar.gz")
        let size = try FileIO.size(path)
        guard case let .limitExceeded(_, what, limit, _)? = dataPrepError({ _ = try TarReader.list(path: path) }) else { return }
        #expect(limit == 1000 * size && what.contains("decompression bomb"), "\(what)")
    }

    // MARK: Headers whose sizes overflow or exceed the file

    @Test func npyShapeLargerThanTheFileIsASizeMismatch() throws {
        let path = Self.fixture("npy/lying-shape.npy")
        guard case let .sizeMismatch(p, expected, found, _)? = dataPrepError({ _ = try NPYArray(contentsOf: path) }) else { return }
        #expect(p == path && found == 784 && expected.hasPrefix("47040000 data bytes"), "\(expected)")
    }

    @Test func npyShapeWhoseProductOverflowsIsABadHeader() throws {
        let path = Self.fixture("npy/overflow-shape.npy")
        guard case let .badHeader(p, offset, field, _, found)? = dataPrepError({ _ = try NPYArray(contentsOf: path) }) else { return }
        #expect(p == path && offset == 10 && field == "shape" && found == "[4611686018427387904, 4611686018427387904]")
    }

    @Test func npyHeaderLengthOf4GiBIsRefused() throws {
        let path = Self.fixture("npy/huge-header-length.npy")
        #expect(throws: DataPrepError.limitExceeded(path: path, what: "npy header length", limit: 65_536, found: 0xFFFF_FFFF)) {
            _ = try NPYArray(contentsOf: path)
        }
    }

    @Test func pngClaiming40000SquaredIsRefusedBeforeDecoding() throws {
        let path = Self.fixture("images/huge-dimensions.png")
        #expect(throws: DataPrepError.limitExceeded(path: path, what: "decoded image bytes (40000x40000x3)",
                                                    limit: DecodeLimit.defaultMaxBytes, found: 40000 * 40000 * 3)) {
            _ = try PNG.decode(contentsOf: path)
        }
    }

    @Test func jpegClaiming60000SquaredIsRefusedBeforeDecoding() throws {
        let path = Self.fixture("images/huge-dimensions.jpg")
        #expect(throws: DataPrepError.limitExceeded(path: path, what: "decoded image bytes (60000x60000x3)",
                                                    limit: DecodeLimit.defaultMaxBytes, found: 60000 * 60000 * 3)) {
            _ = try JPEG.decode(contentsOf: path)
        }
    }

    // MARK: JSON documents

    /// Byte 64 is the 65th `[`: the first one past depth 64.
    @Test func deeplyNestedArraysAreRefusedAtTheFirstBracketTooDeep() throws {
        let path = Self.fixture("json/deep-array.json")
        #expect(throws: DataPrepError.limitExceeded(path: path, what: "JSON nesting depth (at byte offset 64)", limit: 64, found: 65)) {
            _ = try JSONInputLimits.standard.read(path)
        }
    }

    /// Each level is `{"a":` (5 bytes), so the 65th `{` is at offset 320.
    @Test func deeplyNestedObjectsAreRefused() throws {
        let path = Self.fixture("json/deep-object.json")
        #expect(throws: DataPrepError.limitExceeded(path: path, what: "JSON nesting depth (at byte offset 320)", limit: 64, found: 65)) {
            _ = try JSONInputLimits.standard.read(path)
        }
    }

    /// Brackets, escaped quotes and escaped backslashes inside strings do not count: the
    /// document is depth 2 and Foundation then decodes it.
    @Test func bracketsInsideStringsDoNotCount() throws {
        let bytes = try JSONInputLimits.standard.read(Self.fixture("json/brackets-in-strings.json"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        let name = try #require(object["name"] as? String)
        #expect(name.count == 2 * 10_000 + 3 && name.hasSuffix("[{\"[\\"))
        #expect(object["layers"] as? [String] == ["]]]}}}\\"])
        // One level less allowed and the same document is refused at its inner array.
        let offset = bytes.count - Array("[\"]]]}}}\\\\\"]}".utf8).count  // the `[` of "layers"
        #expect(throws: DataPrepError.limitExceeded(path: "b", what: "JSON nesting depth (at byte offset \(offset))", limit: 1, found: 2)) {
            try JSONInputLimits(maxDepth: 1).check(bytes, path: "b")
        }
    }

    @Test func aSplitOutputWithADeepDescriptionIsRefused() throws {
        let folder = Self.fixture("json/deep-dataset")
        #expect(throws: DataPrepError.limitExceeded(path: folder + "/dataset.json", what: "JSON nesting depth (at byte offset 64)",
                                                    limit: 64, found: 65)) {
            _ = try SplitOutput(folder: folder)
        }
    }

    /// A sparse 17 MiB `dataset.json` (no disk used) is refused by its size, before a byte is read.
    @Test func aHugeDescriptionIsRefusedByItsSize() throws {
        let folder = try ScratchFolder.make("huge-json")
        defer { ScratchFolder.remove(folder) }
        let file = folder + "/dataset.json"
        let fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        try #require(fd >= 0)
        #expect(ftruncate(fd, 17 << 20) == 0)
        close(fd)
        #expect(throws: DataPrepError.limitExceeded(path: file, what: "JSON document size (bytes)", limit: 16 << 20, found: 17 << 20)) {
            _ = try SplitOutput(folder: folder)
        }
    }

    @Test func aDescriptionPointingOutsideItsFolderIsRefused() throws {
        let folder = Self.fixture("json/escaping-dataset")
        let output = try #require(try SplitOutput(folder: folder))
        guard case let .unsafeArchiveEntry(archive, entry, _)? = dataPrepError({ _ = try output.load() }) else { return }
        #expect(archive == folder + "/dataset.json" && entry == "../../../../etc/passwd")
    }
}
