import Foundation
import Testing
@testable import DataPrep
import TestSupport

@Suite struct ZipTests {
    static let sampleEntries = [
        ArchiveEntry(path: "sample", size: 0, kind: .directory),
        ArchiveEntry(path: "sample/stored.txt", size: 12, kind: .file),
        ArchiveEntry(path: "sample/deflated.txt", size: ArchiveRecipes.text.utf8.count, kind: .file),
        ArchiveEntry(path: "sample/empty.txt", size: 0, kind: .file),
        ArchiveEntry(path: "sample/sub/pattern.bin", size: 1280, kind: .file),
        ArchiveEntry(path: "sample/link", size: 0, kind: .symlink),
    ]
    static let sampleContents: [[UInt8]] = [
        [], Array("stored text\n".utf8), Array(ArchiveRecipes.text.utf8), [], ArchiveRecipes.pattern(1280), [],
    ]

    @Test func sampleFixtureEntriesAndContentsAreExact() throws {
        let zip = try ZipArchive(path: ArchiveRecipes.fixture("sample.zip"))
        #expect(zip.entries == Self.sampleEntries)
        #expect(try zip.entries.map(zip.contents(of:)) == Self.sampleContents)
        #expect(try zip.contents(of: "sample/stored.txt") == Array("stored text\n".utf8))
        guard case .io? = dataPrepError({ _ = try zip.contents(of: "missing.txt") }) else { Issue.record("expected .io"); return }
    }

    @Test func zip64FieldsAndDataDescriptorsAreRead() throws {
        let zip = try ZipArchive(path: ArchiveRecipes.fixture("zip64-descriptors.zip"))
        #expect(zip.entries == [ArchiveEntry(path: "z/deflated.txt", size: ArchiveRecipes.text.utf8.count, kind: .file),
                                ArchiveEntry(path: "z/stored.bin", size: 300, kind: .file)])
        #expect(try zip.entries.map(zip.contents(of:)) == [Array(ArchiveRecipes.text.utf8), ArchiveRecipes.pattern(300)])
    }

    @Test func stubBeforeTheArchiveAndACommentAreTolerated() throws {
        var bytes = try FileIO.read(ArchiveRecipes.fixture("sample.zip"))
        let comment = Array("made by a test; PK\u{5}\u{6} inside a comment".utf8)
        bytes.replaceSubrange((bytes.count - 2)..<bytes.count, with: [UInt8(comment.count), 0])
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try folder.write("sfx.zip", ArchiveRecipes.noise(1000) + bytes + comment)
        let zip = try ZipArchive(path: path)
        #expect(zip.entries == Self.sampleEntries)
        #expect(try zip.entries.map(zip.contents(of:)) == Self.sampleContents)
    }

    @Test func membersDecodeConcurrently() async throws {
        let zip = try ZipArchive(path: ArchiveRecipes.fixture("sample.zip"))
        let results = try await withThrowingTaskGroup(of: (Int, [UInt8]).self) { group in
            for _ in 0..<8 {
                for (i, entry) in zip.entries.enumerated() {
                    group.addTask { (i, try zip.contents(of: entry)) }
                }
            }
            return try await group.reduce(into: [(Int, [UInt8])]()) { $0.append($1) }
        }
        #expect(results.count == 8 * Self.sampleEntries.count)
        #expect(results.allSatisfy { $0.1 == Self.sampleContents[$0.0] })
    }

    @Test func escapingMemberIsRefusedOnOpen() throws {
        let path = ArchiveRecipes.fixture("evil-dotdot.zip")
        guard case let .unsafeArchiveEntry(archive, entry, _)? = dataPrepError({ _ = try ZipArchive(path: path) }) else {
            Issue.record("expected .unsafeArchiveEntry"); return
        }
        #expect(archive == path && entry == "../evil.txt")
    }

    /// Two directory entries pointing at one local header: libarchive lists the local header
    /// once (its listing is keyed by header offset), so the payload cannot be read twice.
    @Test func membersSharingOneLocalHeaderAreListedOnce() throws {
        let zip = try ZipArchive(path: ArchiveRecipes.fixture("overlap.zip"))
        #expect(zip.entries == [ArchiveEntry(path: "a.bin", size: 100, kind: .file)])
        #expect(try zip.contents(of: "a.bin") == ArchiveRecipes.pattern(100))
    }

    @Test func badCRCIsCorruptNamingTheMember() throws {
        let path = ArchiveRecipes.fixture("bad-crc.zip")
        let zip = try ZipArchive(path: path)
        guard case let .corrupt(p, _, reason)? = dataPrepError({ _ = try zip.contents(of: zip.entries[0]) }) else {
            Issue.record("expected .corrupt"); return
        }
        #expect(p == path + ":data.txt" && reason.contains("CRC-32 mismatch"))
    }

    @Test(arguments: [("encrypted.zip", "encrypted"), ("bzip2-method.zip", "method 12 (bzip2)")])
    func unsupportedMembersSaySo(name: String, words: String) throws {
        let path = ArchiveRecipes.fixture(name)
        let zip = try ZipArchive(path: path)
        #expect(zip.entries == [ArchiveEntry(path: "data.txt", size: 18, kind: .file)])
        guard case let .unsupported(p, reason)? = dataPrepError({ _ = try zip.contents(of: zip.entries[0]) }) else {
            Issue.record("expected .unsupported"); return
        }
        #expect(p == path + ":data.txt" && reason.contains(words))
    }

    @Test func lyingCompressedSizeIsCorruptOnOpen() throws {
        let path = ArchiveRecipes.fixture("lying-size.zip")
        guard case let .corrupt(p, _, reason)? = dataPrepError({ _ = try ZipArchive(path: path) }) else {
            Issue.record("expected .corrupt"); return
        }
        #expect(p == path && reason.contains("compressed size: 4294967280 in central directory"), "\(reason)")
    }

    /// A central directory that claims 2 GiB for a member whose local header says 4 KiB: the
    /// disagreement is refused on open (libarchive reports it), before anything is allocated.
    @Test func lyingUncompressedSizeIsCorruptOnOpen() throws {
        let path = ArchiveRecipes.fixture("lying-usize.zip")
        guard case let .corrupt(p, _, reason)? = dataPrepError({ _ = try ZipArchive(path: path) }) else {
            Issue.record("expected .corrupt"); return
        }
        #expect(p == path && reason.contains("uncompressed size: 2147483647 in central directory, 4096 in local header"), "\(reason)")
    }

    @Test func sizesThatDisagreeWithTheDataAreCorrupt() throws {
        let original = try FileIO.read(ArchiveRecipes.fixture("lying-usize.zip"))
        let directory = Int(original.littleEndianUInt32(at: original.count - 22 + 16))
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        // The local header says 4096 (the truth): the directory's other claim is refused on open.
        for declared in [4095, 5000] {
            var bytes = original
            bytes.replaceSubrange((directory + 24)..<(directory + 28), with: withUnsafeBytes(of: UInt32(declared).littleEndian, Array.init))
            let path = try folder.write("size\(declared).zip", bytes)
            guard case let .corrupt(_, _, reason)? = dataPrepError({ _ = try ZipArchive(path: path) }) else {
                Issue.record("expected .corrupt"); continue
            }
            #expect(reason.contains("uncompressed size: \(declared) in central directory, 4096 in local header"), "\(reason)")
        }
    }

    @Test func truncatedDownloadSaysHowMuchIsMissing() throws {
        let path = ArchiveRecipes.fixture("truncated.zip")
        guard case let .truncated(p, expected, found)? = dataPrepError({ _ = try ZipArchive(path: path) }) else {
            Issue.record("expected .truncated"); return
        }
        #expect(p == path && expected == 30 + "t/noise.bin".utf8.count + 65_536 && found == 30_000)
    }

    @Test func bombIsStoppedBySmallLimits() throws {
        let path = ArchiveRecipes.fixture("bomb.zip")
        #expect(try ZipArchive(path: path).contents(of: "zeros.bin") == [UInt8](repeating: 0, count: 2 << 20))
        let limits = [DecompressionLimits(maxOutputBytes: 1 << 20, maxRatio: .max, ratioGraceBytes: 0),
                      DecompressionLimits(maxOutputBytes: .max, maxRatio: 100, ratioGraceBytes: 0)]
        for limit in limits {
            let zip = try ZipArchive(path: path, limits: limit)
            guard case let .limitExceeded(p, _, _, found)? = dataPrepError({ _ = try zip.contents(of: "zeros.bin") }) else {
                Issue.record("expected .limitExceeded"); continue
            }
            #expect(p == path + ":zeros.bin" && found == 2 << 20)
        }
    }

    @Test func nonZipInputsAreNamed() throws {
        let gz = ArchiveRecipes.fixture("hello.txt.gz")
        guard case let .wrongMagic(p, _, found, hint)? = dataPrepError({ _ = try ZipArchive(path: gz) }) else {
            Issue.record("expected .wrongMagic"); return
        }
        #expect(p == gz && found == "1f 8b 08 00" && hint?.contains("gzip") == true)
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let empty = try folder.write("empty.zip", [])
        guard case .emptyFile(empty)? = dataPrepError({ _ = try ZipArchive(path: empty) }) else {
            Issue.record("expected .emptyFile"); return
        }
        // A zip with no members is just an end record.
        let none = try folder.write("none.zip", [0x50, 0x4b, 5, 6] + [UInt8](repeating: 0, count: 18))
        #expect(try ZipArchive(path: none).entries.isEmpty)
    }

    @Test func deflateHelperMatchesTheFixtureWriter() throws {
        let text = Array(ArchiveRecipes.text.utf8)
        let raw = try Deflate.raw(text)
        let again = try Deflate.raw(text)
        #expect(raw.count < text.count / 10 && raw == again)
        #expect(crc32(Array("123456789".utf8)) == 0xcbf4_3926)  // the CRC-32 check value
    }
}

/// Issue 13 item 12: the central directory is read to its end, not to the end record's count.
@Suite struct ZipEntryCountTests {
    /// sample.zip's end record patched to claim `count` entries (both count fields).
    static func sample(claiming count: Int) throws -> [UInt8] {
        var bytes = try FileIO.read(ArchiveRecipes.fixture("sample.zip"))
        let at = bytes.count - 22   // no comment: the end record is the last 22 bytes
        #expect(bytes.littleEndianUInt32(at: at) == 0x0605_4b50)
        for field in [at + 8, at + 10] { bytes[field] = UInt8(count & 0xff); bytes[field + 1] = UInt8(count >> 8) }
        return bytes
    }

    @Test func aShortCountStillListsEveryMember() throws {
        // Python's zipfile reads all 6 of sample.zip whatever the count says; so do we.
        for claimed in [0, 1, 5] {
            let zip = try ZipArchive(bytes: Self.sample(claiming: claimed), name: "short.zip")
            #expect(zip.entries == ZipTests.sampleEntries, "count \(claimed)")
            #expect(try zip.entries.map(zip.contents(of:)) == ZipTests.sampleContents)
        }
    }

    /// libarchive reads the directory by its size too, so a count that is too high lists the
    /// members there are (Python's zipfile fails on it; neither reads anything that is not there).
    @Test func aCountBeyondTheDirectoryListsTheMembersThereAre() throws {
        #expect(try ZipArchive(bytes: Self.sample(claiming: 7), name: "long.zip").entries == ZipTests.sampleEntries)
    }
}

/// A zip bomb's overlap built by hand: member B's local header and data lie inside member A's
/// stored data, so reading both would read B's bytes twice. libarchive lists both (they have
/// different header offsets); our policy refuses A when it is read, because its data runs into
/// B's header (libarchive does not tell compressed sizes, so this is not known on open).
@Suite struct ZipOverlapTests {
    static func le(_ value: Int, _ width: Int) -> [UInt8] { (0..<width).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }

    /// A stored member's local header (version 20, no flags, method 0, time/date 0) and data.
    static func local(_ name: String, _ data: [UInt8]) -> [UInt8] {
        [0x50, 0x4b, 3, 4] + le(20, 2) + le(0, 2) + le(0, 2) + le(0, 4) + le(Int(crc32(data)), 4)
            + le(data.count, 4) + le(data.count, 4) + le(name.utf8.count, 2) + le(0, 2) + Array(name.utf8) + data
    }

    static func central(_ name: String, _ data: [UInt8], offset: Int) -> [UInt8] {
        [0x50, 0x4b, 1, 2] + le(20, 2) + le(20, 2) + le(0, 2) + le(0, 2) + le(0, 4) + le(Int(crc32(data)), 4)
            + le(data.count, 4) + le(data.count, 4) + le(name.utf8.count, 2) + le(0, 2) + le(0, 2) + le(0, 2) + le(0, 2)
            + le(0, 4) + le(offset, 4) + Array(name.utf8)
    }

    @Test func aMemberInsideAnotherMembersDataIsRefused() throws {
        let inner = ArchiveRecipes.pattern(64)
        let b = Self.local("b.bin", inner)
        let outer = [UInt8](repeating: 7, count: 16) + b + [UInt8](repeating: 9, count: 16)
        let a = Self.local("a.bin", outer)
        let bOffset = 30 + "a.bin".utf8.count + 16
        let directory = Self.central("a.bin", outer, offset: 0) + Self.central("b.bin", inner, offset: bOffset)
        let end = [0x50, 0x4b, 5, 6] + Self.le(0, 4) + Self.le(2, 2) + Self.le(2, 2) + Self.le(directory.count, 4) + Self.le(a.count, 4) + Self.le(0, 2)
        let zip = try ZipArchive(bytes: a + directory + end, name: "o.zip")
        #expect(zip.entries.map(\.path) == ["a.bin", "b.bin"])
        guard case let .unsafeArchiveEntry(archive, entry, reason)? = dataPrepError({ _ = try zip.contents(of: "a.bin") }) else {
            Issue.record("expected .unsafeArchiveEntry"); return
        }
        #expect(archive == "o.zip" && entry == "a.bin" && reason == "its data overlaps member 'b.bin' (a zip bomb construction)")
    }
}
