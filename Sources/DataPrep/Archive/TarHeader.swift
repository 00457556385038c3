/// One 512-byte tar header block: the field layout shared by v7, POSIX ustar and GNU tar,
/// checksum verification, and the two number encodings (octal text and GNU base-256).
///
/// Layout (byte ranges): name 0..<100, mode 100..<108, uid 108..<116, gid 116..<124,
/// size 124..<136, mtime 136..<148, checksum 148..<156, typeflag 156, linkname 157..<257,
/// magic 257..<263, version 263..<265, uname, gname, devmajor, devminor, prefix 345..<500.
/// Reference: POSIX.1-2017 `pax`, "ustar Interchange Format"; GNU tar manual, "Basic Tar Format".
struct TarHeader {
    static let blockSize = 512

    enum Format: Equatable {
        /// POSIX ustar (`ustar\0` `00`): the 155-byte prefix field extends the name.
        case ustar
        /// GNU (`ustar  \0`): the prefix bytes hold other data; long names come as 'L' members.
        case gnu
        /// Pre-POSIX: no magic at all.
        case v7
    }

    var name: String
    var linkName: String
    var size: Int
    var typeflag: UInt8
    var format: Format

    /// Where the header came from, for error messages.
    struct Context {
        var archive: String
        var offset: Int
        var member: Int
    }

    /// Decodes and checks one header block.
    /// - Throws: `.corrupt` for a checksum mismatch (the sum is accepted computed with unsigned
    ///   or with signed bytes, as old Sun and BSD tars wrote it), `.badHeader` for a size field
    ///   that is not a number.
    init(block: UnsafeRawBufferPointer, context: Context) throws {
        guard let stored = Self.octal(block, 148..<156) else {
            throw Self.checksumError(context, stored: "not a number", block: block)
        }
        let (unsigned, signed) = Self.checksums(block)
        guard stored == unsigned || stored == signed else {
            throw Self.checksumError(context, stored: "0o" + String(stored, radix: 8), block: block)
        }
        format = Self.format(of: block)
        let baseName = ArchiveText.field(block, 0..<100)
        let prefix = format == .ustar ? ArchiveText.field(block, 345..<500) : ""
        name = prefix.isEmpty ? baseName : prefix + "/" + baseName
        linkName = ArchiveText.field(block, 157..<257)
        typeflag = block[156]
        guard let size = Self.number(block, 124..<136) else {
            let found = Array(UnsafeRawBufferPointer(rebasing: block[124..<136])).hexPrefix(12)
            throw DataPrepError.badHeader(path: context.archive, offset: context.offset + 124,
                                          field: "tar size of member \(context.member)",
                                          expected: "octal digits or GNU base-256", found: found)
        }
        self.size = size
    }

    /// `ustar\0` (POSIX, whatever the version bytes), `ustar ` (GNU), or neither.
    static func format(of block: UnsafeRawBufferPointer) -> Format {
        let magic = Array(UnsafeRawBufferPointer(rebasing: block[257..<263]))
        if magic == Array("ustar\u{0}".utf8) { return .ustar }
        if magic == Array("ustar ".utf8) { return .gnu }
        return .v7
    }

    /// Whether the block is all zeros (an end-of-archive marker).
    static func isZero(_ block: UnsafeRawBufferPointer) -> Bool {
        block.allSatisfy { $0 == 0 }
    }

    /// The header checksum summed over unsigned and over signed bytes, the checksum field itself
    /// counted as eight spaces.
    static func checksums(_ block: UnsafeRawBufferPointer) -> (unsigned: Int, signed: Int) {
        var unsigned = 0
        var signed = 0
        for i in 0..<blockSize {
            let byte = (148..<156).contains(i) ? UInt8(ascii: " ") : block[i]
            unsigned &+= Int(byte)
            signed &+= Int(Int8(bitPattern: byte))
        }
        return (unsigned, signed)
    }

    /// A numeric field: GNU base-256 when the top bit of its first byte is set (positive only),
    /// else octal digits with optional leading spaces, ended by a space or NUL. Empty is 0.
    static func number(_ block: UnsafeRawBufferPointer, _ range: Range<Int>) -> Int? {
        let first = block[range.lowerBound]
        if first & 0x80 != 0 {
            guard first == 0x80 else { return nil }  // 0xff marks a negative number
            var value = 0
            for i in range.dropFirst() {
                guard value <= Int.max >> 8 else { return nil }
                value = value << 8 | Int(block[i])
            }
            return value
        }
        return octal(block, range)
    }

    static func octal(_ block: UnsafeRawBufferPointer, _ range: Range<Int>) -> Int? {
        var i = range.lowerBound
        while i < range.upperBound, block[i] == UInt8(ascii: " ") { i += 1 }
        var value = 0
        while i < range.upperBound, (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(block[i]) {
            guard value <= Int.max >> 3 else { return nil }
            value = value << 3 | Int(block[i] - UInt8(ascii: "0"))
            i += 1
        }
        guard i == range.upperBound || block[i] == 0 || block[i] == UInt8(ascii: " ") else { return nil }
        return value
    }

    private static func checksumError(_ context: Context, stored: String, block: UnsafeRawBufferPointer) -> DataPrepError {
        let computed = checksums(block).unsigned
        return .corrupt(path: context.archive, offset: context.offset,
                        reason: "tar header checksum mismatch at member \(context.member) (stored \(stored), computed 0o\(String(computed, radix: 8)))")
    }
}
