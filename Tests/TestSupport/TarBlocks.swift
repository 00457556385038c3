/// Hand-made tar header blocks for the tests that need headers no writer produces (a base-256
/// size, a signed-byte checksum, a size of 1 TiB, a patched typeflag). The oracle is the POSIX
/// ustar layout: name 0..<100, mode 100..<108, size 124..<136, checksum 148..<156, typeflag
/// 156, magic 257..<265; the checksum is the byte sum with its own field counted as spaces.
public enum TarBlocks {
    /// A ustar header (mtime, uid, gid 0) with its checksum sealed.
    public static func header(name: String, size: Int, typeflag: UInt8 = UInt8(ascii: "0"), mode: Int = 0o644) -> [UInt8] {
        var block = [UInt8](repeating: 0, count: 512)
        let nameBytes = Array(name.utf8)
        precondition(nameBytes.count <= 100, "test header name over 100 bytes: \(name)")
        block.replaceSubrange(0..<nameBytes.count, with: nameBytes)
        for (range, value) in [(100..<108, mode), (108..<116, 0), (116..<124, 0), (124..<136, size), (136..<148, 0)] {
            let digits = Array(String(value, radix: 8).utf8)
            precondition(digits.count < range.count, "\(value) does not fit a \(range.count)-byte octal field")
            block.replaceSubrange(range, with: [UInt8](repeating: UInt8(ascii: "0"), count: range.count - 1 - digits.count) + digits + [0])
        }
        block[156] = typeflag
        block.replaceSubrange(257..<265, with: Array("ustar\u{0}00".utf8))
        sealChecksum(&block)
        return block
    }

    /// The checksum over unsigned and over signed bytes, the field itself counted as spaces.
    public static func checksums(_ block: [UInt8]) -> (unsigned: Int, signed: Int) {
        var unsigned = 0, signed = 0
        for (i, byte) in block.enumerated() {
            let b = (148..<156).contains(i) ? UInt8(ascii: " ") : byte
            unsigned += Int(b)
            signed += Int(Int8(bitPattern: b))
        }
        return (unsigned, signed)
    }

    /// Writes the (unsigned) checksum: six octal digits, NUL, space, as GNU tar does.
    public static func sealChecksum(_ block: inout [UInt8]) {
        writeChecksum(checksums(block).unsigned, into: &block)
    }

    public static func writeChecksum(_ sum: Int, into block: inout [UInt8]) {
        let digits = Array(String(sum, radix: 8).utf8)
        block.replaceSubrange(148..<156, with: [UInt8](repeating: UInt8(ascii: "0"), count: 6 - digits.count) + digits + [0, UInt8(ascii: " ")])
    }
}
