internal import CArchive

/// A `.zip` read through libarchive, members decoded on demand; our policy on top.
///
/// Opening lists the archive by its central directory (libarchive's `zip_seekable`: ZIP64,
/// data descriptors, UTF-8 and CP437 names, a stub before the archive), streaming past the
/// data. `contents(of:)` reads one member with a fresh libarchive reader that starts where the
/// previous member's data ended and finds that member's local header (`zip_streamable`), so
/// members decode from several threads at once (the archive is `Sendable`) and reading one of
/// 25,000 photos does not walk the other 24,999. libarchive checks every member's CRC-32.
///
/// Our policy: every name goes through `ArchivePath.validate`, a name twice is refused, a member
/// whose data runs into the next member's header is refused when read (how the densest zip
/// bombs reuse one payload), a header that disagrees with the central directory is refused on
/// open, a member's declared size must fit `limits` (and its expansion ratio, over the most
/// compressed bytes it can have) before a byte is inflated and the data must inflate to exactly
/// that size, and only stored and deflate members are read.
public struct ZipArchive: Sendable {
    public let path: String
    public let limits: DecompressionLimits
    /// Members in archive (local header) order.
    public let entries: [ArchiveEntry]
    private let members: [ZipMember]
    private let indexByPath: [String: Int]
    private let file: ReadOnlyFile

    /// Opens `path` and reads its central directory.
    /// - Throws: `.io`, `.emptyFile`, `.wrongMagic` (not a zip), `.truncated` (a cut-off
    ///   download), `.corrupt` (inconsistent records), `.unsafeArchiveEntry` (escaping,
    ///   duplicate or overlapping members).
    public init(path: String, limits: DecompressionLimits = .default) throws {
        try self.init(file: ReadOnlyFile(path: path), limits: limits)
    }

    /// Reads an archive already in memory; `name` stands for the path in errors.
    /// - Throws: as `init(path:limits:)`, except `.io`.
    public init(bytes: [UInt8], name: String, limits: DecompressionLimits = .default) throws {
        try self.init(file: ReadOnlyFile(bytes: bytes, name: name), limits: limits)
    }

    private init(file: ReadOnlyFile, limits: DecompressionLimits) throws {
        guard file.size > 0 else { throw DataPrepError.emptyFile(path: file.path) }
        self.file = file
        self.path = file.path
        self.limits = limits
        members = try ZipListing.read(file)
        entries = members.map(\.entry)
        var index: [String: Int] = [:]
        for (i, member) in members.enumerated() {
            if let first = index.updateValue(i, forKey: member.entry.path) {
                throw DataPrepError.unsafeArchiveEntry(archive: path, entry: member.entry.path,
                                                       reason: "the name appears twice (entries \(first) and \(i)): which one is meant is ambiguous")
            }
        }
        indexByPath = index
    }

    /// The member's bytes, CRC-32 checked by libarchive and length checked against the
    /// declared size. Directories, links and other non-files give `[]`.
    /// - Throws: `.io` for an entry not in this archive; `.unsupported` for encryption or a
    ///   method other than stored/deflate; `.limitExceeded` when the declared size exceeds
    ///   `limits` (checked before allocating); `.corrupt` for deflate data that is damaged,
    ///   inflates to another size than declared, or fails its CRC.
    public func contents(of entry: ArchiveEntry) throws -> [UInt8] {
        guard let index = indexByPath[entry.path] else {
            throw DataPrepError.io(path: path + ":" + entry.path, reason: "no such member in the archive")
        }
        let member = members[index]
        guard member.entry.kind == .file else { return [] }
        let name = path + ":" + member.entry.path
        if member.encrypted { throw DataPrepError.unsupported(path: name, reason: "encrypted zip member") }
        guard member.method.isReadable else {
            throw DataPrepError.unsupported(path: name, reason: "zip compression method \(member.method.description); only stored and deflate are read")
        }
        let size = member.entry.size
        // The compressed size is at most the distance to the next member (or the file's end).
        let compressed = member.maxCompressedSize
        guard size <= limits.maxOutput(forCompressed: compressed) else {
            throw limits.exceeded(path: name, found: size, compressedBytes: compressed)
        }
        return try ZipMemberReader.read(member, from: file, name: name)
    }

    /// The member's bytes by path (`entries[i].path`).
    public func contents(of path: String) throws -> [UInt8] {
        guard let index = indexByPath[path] else {
            throw DataPrepError.io(path: self.path + ":" + path, reason: "no such member in the archive")
        }
        return try contents(of: members[index].entry)
    }
}
