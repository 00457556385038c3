import Testing
@testable import DataPrep
import TestSupport

/// The in-memory archive entry points the fuzz targets drive (`Fuzz/`), held to the path-based
/// readers: same members, same bytes, same errors with the caller's name in place of a path.
@Suite struct FuzzRegressionTests {
    private func tarMembers(_ reader: consuming TarReader) throws -> [(ArchiveEntry, [UInt8])] {
        var reader = reader
        var members: [(ArchiveEntry, [UInt8])] = []
        try reader.forEach { members.append(($0, $1)) }
        return members
    }

    @Test(arguments: ["sample.tar", "sample.tar.gz"])
    func tarFromBytesMatchesTarFromPath(name: String) throws {
        let path = ArchiveRecipes.fixture(name)
        let fromPath = try tarMembers(TarReader(path: path))
        let fromBytes = try tarMembers(TarReader(bytes: FileIO.read(path), name: "mem.tar"))
        #expect(fromBytes.count == 8)
        #expect(fromBytes.map(\.0) == fromPath.map(\.0))
        #expect(fromBytes.map(\.1) == fromPath.map(\.1))
        #expect(try TarReader(bytes: FileIO.read(path), name: "mem.tar").isCompressed == name.hasSuffix(".gz"))
    }

    @Test func truncatedTarFromBytesNamesTheGivenName() throws {
        let path = ArchiveRecipes.fixture("truncated.tar")
        let viaPath = dataPrepError({ _ = try tarMembers(TarReader(path: path)) })
        let viaBytes = dataPrepError({ _ = try tarMembers(TarReader(bytes: FileIO.read(path), name: "mem.tar")) })
        guard case let .truncated(p, expected, found)? = viaPath, case let .truncated(q, expected2, found2)? = viaBytes else {
            Issue.record("expected .truncated from both, got \(String(describing: viaPath)) and \(String(describing: viaBytes))"); return
        }
        #expect(p.hasPrefix(path) && q.hasPrefix("mem.tar"))
        #expect(expected == expected2 && found == found2)
    }

    @Test func zipFromBytesMatchesZipFromPath() throws {
        let path = ArchiveRecipes.fixture("sample.zip")
        let fromPath = try ZipArchive(path: path)
        let fromBytes = try ZipArchive(bytes: FileIO.read(path), name: "mem.zip")
        #expect(fromBytes.entries == fromPath.entries)
        #expect(!fromBytes.entries.isEmpty)
        for entry in fromPath.entries {
            #expect(try fromBytes.contents(of: entry) == fromPath.contents(of: entry))
        }
    }

    @Test func truncatedZipFromBytesReportsTheSameSizes() throws {
        let bytes = try FileIO.read(ArchiveRecipes.fixture("truncated.zip"))
        guard case let .truncated(p, expected, found)? = dataPrepError({ _ = try ZipArchive(bytes: bytes, name: "mem.zip") }) else {
            Issue.record("expected .truncated"); return
        }
        #expect(p == "mem.zip" && expected == 30 + "t/noise.bin".utf8.count + 65_536 && found == 30_000)
    }

    @Test func emptyBytesAreAnEmptyFile() {
        #expect(dataPrepError({ _ = try TarReader(bytes: [], name: "empty.tar") }) == .emptyFile(path: "empty.tar"))
        #expect(dataPrepError({ _ = try ZipArchive(bytes: [], name: "empty.zip") }) == .emptyFile(path: "empty.zip"))
    }

    /// Reads at and past the end of an in-memory file behave like `pread` at EOF: short, then 0.
    @Test func inMemoryFileReadsStopAtTheEnd() throws {
        let file = ReadOnlyFile(bytes: [1, 2, 3, 4, 5], name: "five")
        #expect(file.size == 5)
        #expect(try file.bytes(at: 1, count: 3) == [2, 3, 4])
        var buffer = [UInt8](repeating: 0, count: 4)
        let n = try buffer.withUnsafeMutableBytes { try file.read(into: $0, at: 3) }
        #expect(n == 2 && buffer == [4, 5, 0, 0])
        #expect(try buffer.withUnsafeMutableBytes { try file.read(into: $0, at: 9) } == 0)
        #expect(dataPrepError({ _ = try file.bytes(at: 4, count: 2) }) == .truncated(path: "five", expected: 6, found: 5))
    }

    // MARK: findings of the zip fuzz target

    /// The zip target's first crash, as found (98 bytes): a ZIP64 end-of-central-directory
    /// locator whose record offset is 0xffffffff000003b6. `Int(UInt64)` trapped on it
    /// ("Not enough bits to represent the passed value") before the range check ran.
    static let zip64LocatorCrash: [UInt8] = [
        0x50, 0x4b, 0x03, 0x04, 0xb9, 0x55, 0x64, 0x09, 0x33, 0xfa, 0x4e, 0xec, 0x06, 0x5d, 0x68, 0x4a,
        0x17, 0x4d, 0x6b, 0xac, 0xde, 0xe5, 0x9e, 0x3c, 0xfe, 0x53, 0x74, 0x45, 0x44, 0x12, 0x01, 0x91,
        0xce, 0x11, 0x06, 0x89, 0x44, 0x44, 0x12, 0x11, 0x49, 0x09, 0x22, 0x44, 0x24, 0x11, 0x91, 0x44,
        0x44, 0xa2, 0x8a, 0x88, 0xae, 0x00, 0x00, 0x00, 0x50, 0x4b, 0x06, 0x07, 0x00, 0x00, 0x00, 0x00,
        0xb6, 0x03, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0x01, 0x00, 0x00, 0x00, 0x50, 0x4b, 0x05, 0x06,
        0x00, 0x00, 0x00, 0x00, 0xff, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x1e, 0xff, 0xff, 0xff,
        0x00, 0x00,
    ]

    /// A ZIP64 locator (20 bytes) pointing at `offset`, then an empty end record (22 bytes).
    static func zip64Locator(offset: UInt64) -> [UInt8] {
        var bytes: [UInt8] = [0x50, 0x4b, 0x06, 0x07, 0, 0, 0, 0]
        bytes += (0..<8).map { UInt8(truncatingIfNeeded: offset >> (8 * UInt64($0))) }
        bytes += [1, 0, 0, 0]
        return bytes + [0x50, 0x4b, 0x05, 0x06] + [UInt8](repeating: 0, count: 18)
    }

    /// Through libarchive: the crash input is not a zip libarchive recognises, and our
    /// diagnosis of it (a local header promising more than the file holds) is the error; a
    /// locator pointing past the file is ignored by libarchive, which lists the empty archive.
    @Test func zip64LocatorOffsetPastIntMaxIsAnErrorNotATrap() throws {
        #expect(dataPrepError({ _ = try ZipArchive(bytes: Self.zip64LocatorCrash, name: "crash.zip") })
                == .truncated(path: "crash.zip", expected: 3_856_598_081, found: 98))
        for offset: UInt64 in [1 << 63, .max] {
            #expect(try ZipArchive(bytes: Self.zip64Locator(offset: offset), name: "l.zip").entries.isEmpty)
        }
    }
}
