/// Where a zip's central directory is: the end-of-central-directory record (EOCD), found by
/// scanning back from the end of the file, and its ZIP64 counterpart when sizes need 64 bits.
///
/// Reference: PKWARE APPNOTE.TXT 6.3.10, sections 4.3.14–4.3.16. Every number read here is
/// checked against the file size before it is used, so a lying record cannot make a later
/// step read or allocate past the file.
struct ZipEndRecord {
    var entryCount: Int
    /// Where the central directory starts in the file (already corrected for `shift`).
    var directoryOffset: Int
    var directorySize: Int
    /// Bytes of something else (a self-extractor stub) before the zip data: every offset the
    /// archive records is `shift` short of the real one.
    var shift: Int

    static let signature: UInt32 = 0x0605_4b50
    static let zip64LocatorSignature: UInt32 = 0x0706_4b50
    static let zip64RecordSignature: UInt32 = 0x0606_4b50
    /// 22 fixed bytes plus a comment of at most 65535.
    static let maxSearch = 22 + 0xffff

    static func locate(in file: ReadOnlyFile) throws -> ZipEndRecord {
        let path = file.path
        let tailStart = max(0, file.size - maxSearch)
        let tail = try file.bytes(at: tailStart, count: file.size - tailStart)
        guard let at = findSignature(in: tail) else {
            throw try ZipTruncation.diagnose(file)
        }
        let position = tailStart + at
        func corrupt(_ reason: String) -> DataPrepError { .corrupt(path: path, offset: position, reason: reason) }

        var disk = Int(tail.littleEndianUInt16(at: at + 4))
        var directoryDisk = Int(tail.littleEndianUInt16(at: at + 6))
        var entriesOnDisk = Int(tail.littleEndianUInt16(at: at + 8))
        var entryCount = Int(tail.littleEndianUInt16(at: at + 10))
        var directorySize = Int(tail.littleEndianUInt32(at: at + 12))
        var directoryOffset = Int(tail.littleEndianUInt32(at: at + 16))
        var directoryEnd = position

        if at >= 20, tail.littleEndianUInt32(at: at - 20) == zip64LocatorSignature {
            // Compared as UInt64: a locator offset of 2^63 or more does not fit an Int (found by
            // the zip fuzz target; FuzzRegressionTests.zip64LocatorOffsetPastIntMaxIsCorruptNotATrap).
            let rawOffset = littleEndianUInt64(tail, at: at - 12)
            let lastRecordStart = position - 20 - 56
            guard lastRecordStart >= 0, rawOffset <= UInt64(lastRecordStart) else {
                throw corrupt("ZIP64 end record offset \(rawOffset) lies outside the file")
            }
            let recordOffset = Int(rawOffset)
            let record = try file.bytes(at: recordOffset, count: 56)
            guard record.littleEndianUInt32(at: 0) == zip64RecordSignature else {
                throw corrupt("no ZIP64 end record at offset \(recordOffset), where the locator points")
            }
            disk = Int(record.littleEndianUInt32(at: 16))
            directoryDisk = Int(record.littleEndianUInt32(at: 20))
            entriesOnDisk = Int(clamping: littleEndianUInt64(record, at: 24))
            entryCount = Int(clamping: littleEndianUInt64(record, at: 32))
            directorySize = Int(clamping: littleEndianUInt64(record, at: 40))
            directoryOffset = Int(clamping: littleEndianUInt64(record, at: 48))
            directoryEnd = recordOffset
        } else if entryCount == 0xffff || directorySize == 0xffff_ffff || directoryOffset == 0xffff_ffff {
            throw corrupt("the end record defers to a ZIP64 record that is missing")
        }
        guard disk == 0, directoryDisk == 0, entriesOnDisk == entryCount else {
            throw DataPrepError.unsupported(path: path, reason: "multi-part (spanned or split) zip archives")
        }
        guard directorySize <= directoryEnd, directoryOffset <= directoryEnd - directorySize else {
            throw corrupt("the central directory (\(directorySize) bytes at offset \(directoryOffset)) does not fit before the end record at \(directoryEnd)")
        }
        // Each central entry is at least 46 bytes: a count the directory cannot hold is a lie.
        guard entryCount <= directorySize / 46 else {
            throw corrupt("the end record claims \(entryCount) entries but the central directory has room for \(directorySize / 46)")
        }
        let shift = directoryEnd - directorySize - directoryOffset
        return ZipEndRecord(entryCount: entryCount, directoryOffset: directoryOffset + shift,
                            directorySize: directorySize, shift: shift)
    }

    /// The last EOCD signature whose comment fits in the file.
    private static func findSignature(in tail: [UInt8]) -> Int? {
        guard tail.count >= 22 else { return nil }
        var i = tail.count - 22
        while i >= 0 {
            if tail[i] == 0x50, tail[i + 1] == 0x4b, tail[i + 2] == 5, tail[i + 3] == 6,
               i + 22 + Int(tail.littleEndianUInt16(at: i + 20)) <= tail.count {
                return i
            }
            i -= 1
        }
        return nil
    }
}

func littleEndianUInt64(_ bytes: [UInt8], at offset: Int) -> UInt64 {
    UInt64(bytes.littleEndianUInt32(at: offset)) | UInt64(bytes.littleEndianUInt32(at: offset + 4)) << 32
}
