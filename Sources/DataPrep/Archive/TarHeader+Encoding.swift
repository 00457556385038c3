/// Writing header blocks, for `TarWriter` (and for tests that build odd headers by hand).
extension TarHeader {
    /// Typeflags this module writes or reads specially.
    enum TypeFlag {
        static let file = UInt8(ascii: "0")
        static let oldFile: UInt8 = 0
        static let hardlink = UInt8(ascii: "1")
        static let symlink = UInt8(ascii: "2")
        static let characterDevice = UInt8(ascii: "3")
        static let blockDevice = UInt8(ascii: "4")
        static let directory = UInt8(ascii: "5")
        static let fifo = UInt8(ascii: "6")
        static let contiguous = UInt8(ascii: "7")
        static let gnuLongName = UInt8(ascii: "L")
        static let gnuLongLink = UInt8(ascii: "K")
        static let paxExtended = UInt8(ascii: "x")
        static let paxGlobal = UInt8(ascii: "g")
    }

    /// A complete 512-byte header: mtime 0, uid/gid 0, empty user and group names, so the same
    /// members always give the same bytes. `name` ≤ 100 and `prefix` ≤ 155 bytes (prefix only
    /// for `.ustar`); sizes past octal's 8 GiB go to base-256.
    static func encode(name: [UInt8], prefix: [UInt8] = [], mode: Int, size: Int, typeflag: UInt8,
                       linkName: [UInt8] = [], format: Format = .ustar) -> [UInt8] {
        precondition(name.count <= 100 && prefix.count <= 155 && linkName.count <= 100,
                     "tar header fields too long: name \(name.count), prefix \(prefix.count), link \(linkName.count)")
        var block = [UInt8](repeating: 0, count: blockSize)
        block.replaceSubrange(0..<name.count, with: name)
        writeNumber(mode, into: &block, 100..<108)
        writeNumber(0, into: &block, 108..<116)
        writeNumber(0, into: &block, 116..<124)
        writeNumber(size, into: &block, 124..<136)
        writeNumber(0, into: &block, 136..<148)
        block[156] = typeflag
        block.replaceSubrange(157..<157 + linkName.count, with: linkName)
        switch format {
        case .ustar:
            block.replaceSubrange(257..<265, with: Array("ustar\u{0}00".utf8))
            block.replaceSubrange(345..<345 + prefix.count, with: prefix)
        case .gnu:
            block.replaceSubrange(257..<265, with: Array("ustar  \u{0}".utf8))
        case .v7:
            break
        }
        sealChecksum(&block)
        return block
    }

    /// Writes the checksum field (six octal digits, NUL, space, as GNU tar does).
    static func sealChecksum(_ block: inout [UInt8]) {
        let sum = block.withUnsafeBytes { checksums($0).unsigned }
        let digits = Array(String(sum, radix: 8).utf8)
        let field = [UInt8](repeating: UInt8(ascii: "0"), count: 6 - digits.count) + digits + [0, UInt8(ascii: " ")]
        block.replaceSubrange(148..<156, with: field)
    }

    /// Octal digits filling the field but its last byte (a NUL), or base-256 when they do not fit.
    static func writeNumber(_ value: Int, into block: inout [UInt8], _ range: Range<Int>) {
        precondition(value >= 0, "tar numbers are non-negative, got \(value)")
        let width = range.count - 1
        let digits = Array(String(value, radix: 8).utf8)
        if digits.count <= width {
            let field = [UInt8](repeating: UInt8(ascii: "0"), count: width - digits.count) + digits + [0]
            block.replaceSubrange(range, with: field)
            return
        }
        var rest = value
        for i in range.reversed() {
            block[i] = UInt8(rest & 0xff)
            rest >>= 8
        }
        block[range.lowerBound] = 0x80
    }
}
