/// Explains a file with no end-of-central-directory record: a cut-off zip, or not a zip.
///
/// A zip is read from its end, so a partial download has no directory at all. Walking the
/// local headers from the front tells the two cases apart and, when a member's data runs past
/// the end of the file, says exactly how many bytes are missing.
enum ZipTruncation {
    static let localSignature: [UInt8] = [0x50, 0x4b, 3, 4]

    /// The error to throw for `file`.
    static func diagnose(_ file: ReadOnlyFile) throws -> DataPrepError {
        let path = file.path
        guard file.size > 0 else { return .emptyFile(path: path) }
        let head = try file.bytes(at: 0, count: min(file.size, 512))
        guard head.starts(with: localSignature) else {
            return .wrongMagic(path: path, expected: "50 4b 03 04 (zip)", found: head.hexPrefix(),
                               hint: ContentSniffer.hint(for: head) ?? "no zip end-of-central-directory record either")
        }
        var position = 0
        while position <= file.size - 30 {
            let header = try file.bytes(at: position, count: 30)
            guard header.starts(with: localSignature) else { break }
            let flags = header.littleEndianUInt16(at: 6)
            let compressedSize = Int(header.littleEndianUInt32(at: 18))
            // Sizes after the data (flag bit 3) or in a ZIP64 field: the walk cannot go on.
            if flags & 8 != 0 || compressedSize == 0xffff_ffff { break }
            let next = position + 30 + Int(header.littleEndianUInt16(at: 26)) + Int(header.littleEndianUInt16(at: 28)) + compressedSize
            if next > file.size {
                return .truncated(path: path, expected: next, found: file.size)
            }
            position = next
        }
        return .corrupt(path: path, offset: file.size,
                        reason: "no end-of-central-directory record: the zip is cut off after offset \(position) (an incomplete download?)")
    }
}
