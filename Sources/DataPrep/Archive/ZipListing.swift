internal import CArchive

/// One member as listed: what `contents(of:)` needs to find, check and decode it.
struct ZipMember: Sendable {
    var entry: ArchiveEntry
    /// The name's bytes as stored, to check that the member read later is this one.
    var rawName: [UInt8]
    var method: ZipMethod
    var encrypted: Bool
    /// Where the search for this member's local header starts: the header ends at its data,
    /// and its extra field is at most 65535 bytes (nor does it start before the previous
    /// member's data, or before 0 where a stub may come first).
    var searchStart: Int
    var dataStart: Int
    /// Where the next member's local header starts at the latest (the file's end for the
    /// last): this member's compressed data must end there, which bounds its compressed size.
    var dataBound: Int
    /// The next member in the file, whose header `dataBound` belongs to.
    var next: String?

    /// The most compressed bytes the member can have.
    var maxCompressedSize: Int { max(0, dataBound - dataStart) }
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
        while true {
            let headerOffset = reader.position
            let (entry, status) = try reader.nextHeader()
            if status == ARCHIVE_EOF { break }
            guard status == ARCHIVE_OK, let entry else {
                // A warning here is a local header that disagrees with the central directory
                // (sizes, CRC): which one to believe is the attacker's choice, so neither is.
                throw DataPrepError.corrupt(path: path, offset: headerOffset,
                                            reason: "member \(members.count): libarchive: \(reader.message)")
            }
            let header = LibArchiveReader.header(of: entry)
            let rawName = ArchiveText.decode(header.rawPath, fallback: .cp437)
            let entryPath = try ArchivePath.validate(rawName, archive: path)
            if entryPath == ".", header.kind != .directory {
                throw DataPrepError.unsafeArchiveEntry(archive: path, entry: rawName, reason: "a non-directory member named like the archive root")
            }
            let dataStart = reader.position
            // A local header takes at least 30 bytes plus the name.
            let headerStart = dataStart - 30 - header.rawPath.count
            if !members.isEmpty {
                members[members.count - 1].dataBound = headerStart
                members[members.count - 1].next = entryPath
            }
            let size = header.kind == .file ? header.size ?? 0 : 0
            members.append(ZipMember(entry: ArchiveEntry(path: entryPath, size: size, kind: header.kind), rawName: header.rawPath,
                                     method: ZipMethod(formatName: reader.formatName), encrypted: LibArchiveReader.isEncrypted(entry),
                                     searchStart: max(members.last?.dataStart ?? 0, headerStart - 0xffff), dataStart: dataStart,
                                     dataBound: file.size, next: nil))
        }
        return members
    }
}
