/// A `.zip` read through its central directory, members decoded on demand.
///
/// Supports stored (method 0) and deflate (method 8) members, data descriptors (sizes are taken
/// from the central directory, which is authoritative), ZIP64 sizes and offsets, UTF-8 and
/// CP437 names, and a stub before the archive (self-extractors). Every member's CRC-32 is
/// verified. Opening reads only the end record and the directory; each `contents(of:)` reads
/// only that member with positional reads, so members can be decoded from several threads at
/// once (the archive is `Sendable`).
///
/// Hostile archives are refused before anything large is read or allocated: offsets and sizes
/// must fit the file, members may not overlap or share a name, names go through
/// `ArchivePath.validate`, and a member's declared size must fit `limits`.
public struct ZipArchive: Sendable {
    public let path: String
    public let limits: DecompressionLimits
    /// Members in central-directory order.
    public let entries: [ArchiveEntry]
    private let records: [ZipRecord]
    private let indexByPath: [String: Int]
    private let file: ReadOnlyFile
    /// Where the central directory starts: every member's data must end before it.
    private let directoryOffset: Int

    /// Opens `path` and reads its central directory.
    /// - Throws: `.io`, `.emptyFile`, `.wrongMagic` (not a zip), `.truncated` (a cut-off
    ///   download), `.corrupt` (inconsistent records), `.unsupported` (multi-part archives),
    ///   `.unsafeArchiveEntry` (escaping, duplicate or overlapping members).
    public init(path: String, limits: DecompressionLimits = .default) throws {
        try self.init(file: ReadOnlyFile(path: path), limits: limits)
    }

    /// Reads an archive already in memory; `name` stands for the path in errors.
    /// - Throws: as `init(path:limits:)`, except `.io`.
    public init(bytes: [UInt8], name: String, limits: DecompressionLimits = .default) throws {
        try self.init(file: ReadOnlyFile(bytes: bytes, name: name), limits: limits)
    }

    private init(file: ReadOnlyFile, limits: DecompressionLimits) throws {
        self.file = file
        guard file.size > 0 else { throw DataPrepError.emptyFile(path: file.path) }
        let end = try ZipEndRecord.locate(in: file)
        records = try ZipCentralDirectory.read(file, end: end)
        self.path = file.path
        self.limits = limits
        directoryOffset = end.directoryOffset
        entries = records.map(\.entry)
        indexByPath = Dictionary(uniqueKeysWithValues: records.enumerated().map { ($1.entry.path, $0) })
    }

    /// The member's bytes: inflated or copied, length and CRC-32 checked. Directories, links
    /// and other non-files give `[]`.
    /// - Throws: `.io` for an entry not in this archive; `.unsupported` for encryption or a
    ///   method other than stored/deflate; `.limitExceeded` when the declared size exceeds
    ///   `limits` (checked before allocating); `.corrupt` for a bad local header, deflate data,
    ///   a size that does not match the header, or a CRC mismatch.
    public func contents(of entry: ArchiveEntry) throws -> [UInt8] {
        guard let index = indexByPath[entry.path] else {
            throw DataPrepError.io(path: path + ":" + entry.path, reason: "no such member in the archive")
        }
        let record = records[index]
        guard record.entry.kind == .file else { return [] }
        let name = path + ":" + record.entry.path
        if record.flags & 1 != 0 || record.method == 99 {
            throw DataPrepError.unsupported(path: name, reason: "encrypted zip member")
        }
        guard record.method == 0 || record.method == 8 else {
            throw DataPrepError.unsupported(path: name, reason: "zip compression method \(record.method) (\(Self.methodName(record.method))); only stored and deflate are read")
        }
        let dataStart = try localDataStart(record, name: name)
        let maxOutput = limits.maxOutput(forCompressed: record.compressedSize)
        guard record.uncompressedSize <= maxOutput else {
            throw limits.exceeded(path: name, found: record.uncompressedSize, compressedBytes: record.compressedSize)
        }
        let bytes: [UInt8]
        if record.method == 0 {
            guard record.compressedSize == record.uncompressedSize else {
                throw DataPrepError.corrupt(path: name, offset: record.localHeaderOffset,
                                            reason: "stored member has compressed size \(record.compressedSize) but size \(record.uncompressedSize)")
            }
            bytes = try file.bytes(at: dataStart, count: record.uncompressedSize)
        } else {
            bytes = try ZipInflater.inflate(file, range: dataStart..<(dataStart + record.compressedSize),
                                            expectedSize: record.uncompressedSize, name: name)
        }
        let computed = bytes.withUnsafeBytes { crc32(0, $0) }
        guard computed == record.crc else {
            throw DataPrepError.corrupt(path: name, offset: dataStart,
                                        reason: "CRC-32 mismatch: the directory says \(Self.hex(record.crc)), the data gives \(Self.hex(computed))")
        }
        return bytes
    }

    /// The member's bytes by path (`entries[i].path`).
    public func contents(of path: String) throws -> [UInt8] {
        guard let index = indexByPath[path] else {
            throw DataPrepError.io(path: self.path + ":" + path, reason: "no such member in the archive")
        }
        return try contents(of: records[index].entry)
    }

    /// Checks the local header (signature, same name as the directory) and returns where the
    /// data starts; the data must end before the central directory.
    private func localDataStart(_ record: ZipRecord, name: String) throws -> Int {
        let offset = record.localHeaderOffset
        func corrupt(_ reason: String) -> DataPrepError { .corrupt(path: name, offset: offset, reason: reason) }
        let header = try file.bytes(at: offset, count: 30 + record.rawName.count)
        guard header.starts(with: ZipTruncation.localSignature) else {
            throw corrupt("no local header signature (50 4b 03 04) where the central directory points")
        }
        let nameLength = Int(header.littleEndianUInt16(at: 26))
        let extraLength = Int(header.littleEndianUInt16(at: 28))
        guard nameLength == record.rawName.count, header[30...].elementsEqual(record.rawName) else {
            throw corrupt("the local header names a different member than the central directory")
        }
        let dataStart = offset + 30 + nameLength + extraLength
        guard dataStart <= directoryOffset - record.compressedSize else {
            throw corrupt("member data (\(record.compressedSize) bytes at \(dataStart)) runs into the central directory at \(directoryOffset)")
        }
        return dataStart
    }

    private static func methodName(_ method: UInt16) -> String {
        switch method {
        case 9: return "deflate64"
        case 12: return "bzip2"
        case 14: return "LZMA"
        case 93: return "zstd"
        case 95: return "xz"
        case 98: return "PPMd"
        default: return "unknown"
        }
    }

    private static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
    }
}
