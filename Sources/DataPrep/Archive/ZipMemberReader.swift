internal import CArchive

/// Decodes one listed zip member with its own libarchive reader, into a buffer of exactly its
/// declared size.
///
/// The declared size was already checked against the limits, so the allocation is bounded; the
/// data must then produce exactly that many bytes. Producing more is detected by a one-byte
/// probe once the buffer is full, so a header that understates the size cannot overrun it.
enum ZipMemberReader {
    static func read(_ member: ZipMember, from file: ReadOnlyFile, name: String) throws -> [UInt8] {
        func corrupt(_ reason: String) -> DataPrepError {
            .corrupt(path: name, offset: member.dataStart, reason: reason)
        }
        // The local header is the last signature before the member's data (the previous
        // member's data, or a data descriptor whose signature is optional, may sit in between,
        // and libarchive's streaming reader only starts at a signature).
        let latest = member.dataStart - 30 - member.rawName.count   // with no extra field
        let gap = try file.bytes(at: member.searchStart, count: max(0, latest + 4 - member.searchStart))
        guard let at = gap.ranges(of: ZipTruncation.localSignature).last?.lowerBound else {
            throw corrupt("no local header signature (50 4b 03 04) before the member's data")
        }
        let start = member.searchStart + at
        let reader = try LibArchiveReader(zip: file, from: start, seekable: false)
        let (entry, status) = try reader.nextHeader()
        guard reader.opened, status == ARCHIVE_OK || status == ARCHIVE_WARN, let entry else {
            throw corrupt("no local header for this member where the directory points (libarchive: \(reader.message))")
        }
        guard LibArchiveReader.header(of: entry).rawPath == member.rawName, start + reader.position == member.dataStart else {
            throw corrupt("the local header names a different member than the central directory")
        }
        let expected = member.entry.size
        var produced = 0
        let bytes = try [UInt8](unsafeUninitializedCapacity: expected) { buffer, count in
            defer { count = produced }
            let raw = UnsafeMutableRawBufferPointer(buffer)
            while produced < expected {
                let n = try reader.readData(into: UnsafeMutableRawBufferPointer(rebasing: raw[produced...]))
                if n < 0 { throw failure(reader, corrupt) }
                if n == 0 { break }
                produced += n
            }
        }
        if produced == expected {
            var probe: UInt8 = 0
            let n = try withUnsafeMutableBytes(of: &probe) { try reader.readData(into: $0) }
            if n < 0 { throw failure(reader, corrupt) }
            if n > 0 { throw corrupt("inflates to more than the \(expected) bytes its header declares") }
        }
        guard produced == expected else {
            throw corrupt("inflates to \(produced) bytes but its header declares \(expected)")
        }
        // All its data consumed: it must end before the next member's header begins.
        if let next = member.next, start + reader.position > member.dataBound {
            throw DataPrepError.unsafeArchiveEntry(archive: file.path, entry: member.entry.path,
                                                   reason: "its data overlaps member '\(next)' (a zip bomb construction)")
        }
        return bytes
    }

    /// libarchive's reason, with ours in front for the one tests and users grep for.
    private static func failure(_ reader: LibArchiveReader, _ corrupt: (String) -> DataPrepError) -> DataPrepError {
        let message = reader.message
        return corrupt(message.contains("bad CRC") ? "CRC-32 mismatch (libarchive: \(message))" : "libarchive: \(message)")
    }
}
