/// One central-directory entry: what `contents(of:)` needs to find, check and decode a member.
struct ZipRecord: Sendable {
    var entry: ArchiveEntry
    var rawName: [UInt8]
    var flags: UInt16
    var method: UInt16
    var crc: UInt32
    var compressedSize: Int
    var uncompressedSize: Int
    /// The member's local header, in real file offsets.
    var localHeaderOffset: Int
}

/// Parses the central directory (APPNOTE 4.3.12) into records, validating each against the
/// file: names, ZIP64 extra fields, and data ranges that must lie before the directory and
/// must not overlap (overlapping members are how the densest zip bombs reuse one payload).
enum ZipCentralDirectory {
    static let signature: UInt32 = 0x0201_4b50

    static func read(_ file: ReadOnlyFile, end: ZipEndRecord) throws -> [ZipRecord] {
        let path = file.path
        let directory = try file.bytes(at: end.directoryOffset, count: end.directorySize)
        var records: [ZipRecord] = []
        records.reserveCapacity(end.entryCount)
        var position = 0
        var index = 0
        // To the end of the directory, not to the end record's count: a count that is short
        // (a 16-bit count wrapped past 65535, or a damaged or lying record) used to hide the
        // remaining members. Python's zipfile reads by size the same way; a count that is too
        // high still fails on the missing entry signature.
        while position < directory.count || index < end.entryCount {
            defer { index += 1 }
            let at = end.directoryOffset + position
            func corrupt(_ reason: String) -> DataPrepError {
                .corrupt(path: path, offset: at, reason: "central directory entry \(index): \(reason)")
            }
            guard position + 46 <= directory.count, directory.littleEndianUInt32(at: position) == signature else {
                throw corrupt("no entry signature (50 4b 01 02) where the directory says one is")
            }
            let nameLength = Int(directory.littleEndianUInt16(at: position + 28))
            let extraLength = Int(directory.littleEndianUInt16(at: position + 30))
            let commentLength = Int(directory.littleEndianUInt16(at: position + 32))
            let next = position + 46 + nameLength + extraLength + commentLength
            guard next <= directory.count else { throw corrupt("entry runs past the end of the central directory") }
            let rawName = Array(directory[(position + 46)..<(position + 46 + nameLength)])
            let extra = Array(directory[(position + 46 + nameLength)..<(position + 46 + nameLength + extraLength)])
            let flags = directory.littleEndianUInt16(at: position + 8)

            var uncompressed = Int(directory.littleEndianUInt32(at: position + 24))
            var compressed = Int(directory.littleEndianUInt32(at: position + 20))
            var localOffset = Int(directory.littleEndianUInt32(at: position + 42))
            let disk = directory.littleEndianUInt16(at: position + 34)
            if uncompressed == 0xffff_ffff || compressed == 0xffff_ffff || localOffset == 0xffff_ffff || disk == 0xffff {
                guard let fields = zip64Fields(extra, uncompressed: uncompressed == 0xffff_ffff, compressed: compressed == 0xffff_ffff,
                                               offset: localOffset == 0xffff_ffff) else {
                    throw corrupt("sizes defer to a ZIP64 extra field that is missing or too short")
                }
                uncompressed = fields.uncompressed ?? uncompressed
                compressed = fields.compressed ?? compressed
                localOffset = fields.offset ?? localOffset
            }
            let name = ArchiveText.decode(rawName, fallback: flags & 0x0800 != 0 ? .latin1 : .cp437)
            let kind = kind(name: name, versionMadeBy: directory.littleEndianUInt16(at: position + 4),
                            externalAttributes: directory.littleEndianUInt32(at: position + 38))
            let entryPath = try ArchivePath.validate(name, archive: path)
            if entryPath == ".", kind != .directory {
                throw DataPrepError.unsafeArchiveEntry(archive: path, entry: name, reason: "a non-directory member named like the archive root")
            }
            // The local header (30 bytes + name) and data must end before the central directory.
            let localStart = localOffset + end.shift
            guard localStart >= 0, compressed <= end.directoryOffset,
                  localStart <= end.directoryOffset - 30 - nameLength - compressed else {
                throw corrupt("'\(name)' claims \(compressed) compressed bytes at offset \(localOffset), past the central directory at \(end.directoryOffset) (a damaged or lying header)")
            }
            records.append(ZipRecord(
                entry: ArchiveEntry(path: entryPath, size: kind == .file ? uncompressed : 0, kind: kind),
                rawName: rawName, flags: flags, method: directory.littleEndianUInt16(at: position + 10),
                crc: directory.littleEndianUInt32(at: position + 16), compressedSize: compressed,
                uncompressedSize: uncompressed, localHeaderOffset: localStart))
            position = next
        }
        try checkOverlaps(records, path: path)
        return records
    }

    /// The 64-bit values of a ZIP64 extended-information extra field (id 1), present in this
    /// order only for the fields whose 32-bit slot holds 0xffffffff.
    static func zip64Fields(_ extra: [UInt8], uncompressed: Bool, compressed: Bool, offset: Bool)
        -> (uncompressed: Int?, compressed: Int?, offset: Int?)? {
        var at = 0
        while at + 4 <= extra.count {
            let id = extra.littleEndianUInt16(at: at)
            let size = Int(extra.littleEndianUInt16(at: at + 2))
            guard at + 4 + size <= extra.count else { return nil }
            if id == 1 {
                var field = at + 4
                func next(_ wanted: Bool) -> Int?? {
                    guard wanted else { return .some(nil) }
                    guard field + 8 <= at + 4 + size else { return nil }
                    defer { field += 8 }
                    let value = littleEndianUInt64(extra, at: field)
                    return value <= UInt64(Int.max) ? .some(Int(value)) : nil
                }
                guard let u = next(uncompressed), let c = next(compressed), let o = next(offset) else { return nil }
                return (u, c, o)
            }
            at += 4 + size
        }
        return nil
    }

    /// Directory by trailing slash or attributes; symlinks and special files from the Unix mode
    /// that zip tools on Unix store in the high half of the external attributes.
    static func kind(name: String, versionMadeBy: UInt16, externalAttributes: UInt32) -> ArchiveEntry.Kind {
        if name.hasSuffix("/") { return .directory }
        if versionMadeBy >> 8 == 3 {
            switch externalAttributes >> 16 & 0o170000 {
            case 0o120000: return .symlink
            case 0o040000: return .directory
            case 0o100000, 0: return .file
            default: return .other
            }
        }
        return externalAttributes & 0x10 != 0 ? .directory : .file
    }

    /// Members whose data ranges overlap, and two members with one name, are refused.
    private static func checkOverlaps(_ records: [ZipRecord], path: String) throws {
        var seen: [String: Int] = [:]
        for (index, record) in records.enumerated() {
            if let first = seen.updateValue(index, forKey: record.entry.path) {
                throw DataPrepError.unsafeArchiveEntry(archive: path, entry: record.entry.path,
                                                       reason: "the name appears twice (entries \(first) and \(index)): which one is meant is ambiguous")
            }
        }
        let byOffset = records.sorted { $0.localHeaderOffset < $1.localHeaderOffset }
        for (a, b) in zip(byOffset, byOffset.dropFirst()) {
            let aEnd = a.localHeaderOffset + 30 + a.rawName.count + a.compressedSize
            if b.localHeaderOffset < aEnd {
                throw DataPrepError.unsafeArchiveEntry(archive: path, entry: b.entry.path,
                                                       reason: "its data overlaps member '\(a.entry.path)' (a zip bomb construction)")
            }
        }
    }
}
