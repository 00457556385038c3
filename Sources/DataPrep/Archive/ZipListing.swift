internal import CArchive

/// One member as listed: what `contents(of:)` needs to find, check and decode it.
struct ZipMember: Sendable {
    var entry: ArchiveEntry
    /// The name's bytes as stored, to check that the member read later is this one.
    var rawName: [UInt8]
    var method: ZipMethod
    var encrypted: Bool
    /// Where the search for this member's local header starts: where the previous member's
    /// data ended (a data descriptor may sit in between), or 0 (a stub may come first).
    var searchStart: Int
    var dataStart: Int
    var dataEnd: Int
}

/// A zip compression method, from libarchive's name for it ("ZIP 2.0 (deflation)").
struct ZipMethod: Sendable, Equatable {
    var number: Int?
    var name: String

    var isReadable: Bool { number == 0 || number == 8 }

    /// "12 (bzip2)", as APPNOTE numbers the methods.
    var description: String { number.map { "\($0) (\(name))" } ?? name }

    /// libarchive's `compression_name` values mapped back to APPNOTE's numbers.
    private static let known: [String: (Int, String)] = [
        "uncompressed": (0, "stored"), "deflation": (8, "deflate"), "deflation-64-bit": (9, "deflate64"),
        "bzip": (12, "bzip2"), "lzma": (14, "LZMA"), "zstd": (93, "zstd"), "xz": (95, "xz"), "ppmd8": (98, "PPMd"),
    ]

    init(formatName: String) {
        // "ZIP 2.0 (deflation)": the method is the text in parentheses.
        let inner = formatName.split(separator: "(").last.map { String($0.dropLast()) } ?? formatName
        if let (number, name) = Self.known[inner] {
            self.number = number
            self.name = name
        } else {
            number = nil
            name = "unknown: \(inner)"
        }
    }
}

/// Lists a zip by its central directory through libarchive, applying the open-time policy.
enum ZipListing {
    static func read(_ file: ReadOnlyFile) throws -> [ZipMember] {
        let path = file.path
        let reader = try LibArchiveReader(zip: file, seekable: true)
        guard reader.opened else {
            // libarchive does not recognise a zip with no members (an end record alone).
            if file.size == 22, try file.bytes(at: 0, count: 4) == [0x50, 0x4b, 5, 6] { return [] }
            throw try ZipTruncation.diagnose(file)
        }
        var members: [ZipMember] = []
        var previousEnd = 0
        while true {
            let searchStart = reader.position
            let (entry, status) = try reader.nextHeader()
            if status == ARCHIVE_EOF { break }
            guard status == ARCHIVE_OK, let entry else {
                // A warning here is a local header that disagrees with the central directory
                // (sizes, CRC): which one to believe is the attacker's choice, so neither is.
                throw DataPrepError.corrupt(path: path, offset: searchStart,
                                            reason: "member \(members.count): libarchive: \(reader.message)")
            }
            let header = LibArchiveReader.header(of: entry)
            let rawName = ArchiveText.decode(header.rawPath, fallback: .cp437)
            let entryPath = try ArchivePath.validate(rawName, archive: path)
            if entryPath == ".", header.kind != .directory {
                throw DataPrepError.unsafeArchiveEntry(archive: path, entry: rawName, reason: "a non-directory member named like the archive root")
            }
            let dataStart = reader.position
            // A local header takes at least 30 bytes plus the name: one that starts before the
            // previous member's data ended lies inside it.
            if let previous = members.last, dataStart - 30 - header.rawPath.count < previousEnd {
                throw DataPrepError.unsafeArchiveEntry(archive: path, entry: entryPath,
                                                       reason: "its data overlaps member '\(previous.entry.path)' (a zip bomb construction)")
            }
            let encrypted = LibArchiveReader.isEncrypted(entry)
            let method = ZipMethod(formatName: reader.formatName)
            if try reader.skipData() != ARCHIVE_OK {
                throw DataPrepError.corrupt(path: path + ":" + entryPath, offset: dataStart, reason: "libarchive: \(reader.message)")
            }
            previousEnd = reader.position
            let size = header.kind == .file ? header.size ?? 0 : 0
            members.append(ZipMember(entry: ArchiveEntry(path: entryPath, size: size, kind: header.kind), rawName: header.rawPath,
                                     method: method, encrypted: encrypted, searchStart: searchStart,
                                     dataStart: dataStart, dataEnd: previousEnd))
        }
        return members
    }
}
