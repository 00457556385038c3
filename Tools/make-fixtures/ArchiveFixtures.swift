import DataPrep

/// Small deterministic gzip, tar and zip files under `archives/`: one well-formed file per
/// feature and one per way a download or a hostile archive goes wrong. The tests rebuild the
/// same contents from the same recipes (`ArchiveFixtures.text`, `pattern`, `noise`) and
/// expect byte-exact members and a specific error case for each bad file.
enum ArchiveFixtures {
    /// About 5.6 KB of text: compresses well, long enough that cutting its gzip in half lands
    /// inside the deflate data.
    static let text = (0..<100).map { "line \($0): the quick brown fox jumps over the lazy dog\n" }.joined()

    /// 0, 1, ..., 255 repeated: `count` bytes.
    static func pattern(_ count: Int) -> [UInt8] { (0..<count).map { UInt8(truncatingIfNeeded: $0) } }

    /// Incompressible bytes from a fixed 32-bit LCG (Numerical Recipes constants), top byte.
    static func noise(_ count: Int, seed: UInt32 = 1) -> [UInt8] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 1_664_525 &+ 1_013_904_223
            return UInt8(state >> 24)
        }
    }

    static let gnuName = "sample/long-" + String(repeating: "g", count: 120) + ".txt"
    static let paxName = "sample/pax-é-" + String(repeating: "p", count: 40) + ".txt"
    static let prefixName = "sample/" + String(repeating: "d", count: 80) + "/" + String(repeating: "f", count: 90) + ".txt"

    static func write(into root: String) throws -> [String] {
        let folder = joinPath(root, "archives")
        try FileIO.makeDirectories(folder)
        var written: [String] = []
        func save(_ name: String, _ bytes: [UInt8]) throws {
            try FileIO.writeAtomically(bytes, to: joinPath(folder, name))
            written.append("archives/" + name)
        }
        try writeGzip(save)
        try writeTar(save)
        try writeZip(save)
        return written
    }

    private static func writeGzip(_ save: (String, [UInt8]) throws -> Void) throws {
        let hello = try Gzip.compress(Array(text.utf8))
        try save("hello.txt.gz", hello)
        try save("multi-member.gz", try Gzip.compress(Array("first member\n".utf8)) + Gzip.compress(Array("second member\n".utf8)))
        try save("truncated.gz", Array(hello.prefix(hello.count / 2)))
        var badCRC = hello
        badCRC[badCRC.count - 8] ^= 0xff
        try save("bad-crc.gz", badCRC)
        try save("html-saved-as.gz", Array("<!DOCTYPE html>\n<html><head><title>429 Too Many Requests</title></head><body>Rate limit exceeded.</body></html>\n".utf8))
    }

    private static func writeTar(_ save: (String, [UInt8]) throws -> Void) throws {
        let sample = sampleTar()
        try save("sample.tar", sample)
        try save("sample.tar.gz", try Gzip.compress(sample))

        var dotdot = TarWriter()
        dotdot.addFile(path: "safe.txt", bytes: Array("safe\n".utf8))
        dotdot.addFile(path: "../evil.txt", bytes: Array("evil\n".utf8))
        try save("evil-dotdot.tar", dotdot.finish())

        var absolute = TarWriter()
        absolute.addFile(path: "/tmp/evil.txt", bytes: Array("evil\n".utf8))
        try save("evil-absolute.tar", absolute.finish())

        var links = TarWriter()
        links.addFile(path: "links/target.txt", bytes: Array("target\n".utf8))
        links.addSymlink(path: "links/link.txt", target: "target.txt")
        links.addHardlink(path: "links/hard.txt", target: "links/target.txt")
        try save("symlink.tar", links.finish())

        // Member 1's header (offset 512, "sample/hello.txt") with one name byte changed.
        var badChecksum = sample
        badChecksum[512] = UInt8(ascii: "S")
        try save("bad-checksum.tar", badChecksum)

        var big = TarWriter()
        big.addFile(path: "big/noise.bin", bytes: noise(200_000))
        big.addFile(path: "big/after.txt", bytes: Array("after\n".utf8))
        let bigTar = big.finish()
        try save("truncated.tar", Array(bigTar.prefix(100_000)))
        let bigGz = try Gzip.compress(bigTar)
        try save("truncated.tar.gz", Array(bigGz.prefix(bigGz.count / 2)))
    }

    /// Directories, a file not a multiple of 512, an empty file, and the three long-name forms.
    static func sampleTar() -> [UInt8] {
        var tar = TarWriter()
        tar.addDirectory(path: "sample")
        tar.addFile(path: "sample/hello.txt", bytes: Array("hello, tar\n".utf8))
        tar.addFile(path: "sample/pattern.bin", bytes: pattern(1280), mode: 0o600)
        tar.addFile(path: "sample/empty.txt", bytes: [])
        tar.addDirectory(path: "sample/sub")
        tar.addFile(path: gnuName, bytes: Array("gnu long name\n".utf8), longNames: .gnu)
        tar.addFile(path: paxName, bytes: Array("pax path\n".utf8), longNames: .pax)
        tar.addFile(path: prefixName, bytes: Array("ustar prefix\n".utf8))
        return tar.finish()
    }

    private static func writeZip(_ save: (String, [UInt8]) throws -> Void) throws {
        var sample = ZipWriter()
        sample.addDirectory(path: "sample")
        try sample.add(path: "sample/stored.txt", bytes: Array("stored text\n".utf8), compress: false)
        try sample.add(path: "sample/deflated.txt", bytes: Array(text.utf8))
        try sample.add(path: "sample/empty.txt", bytes: [])
        try sample.add(path: "sample/sub/pattern.bin", bytes: pattern(1280))
        try sample.addSymlink(path: "sample/link", target: "stored.txt")
        try save("sample.zip", sample.finish())

        var zip64 = ZipWriter()
        zip64.forceZip64 = true
        zip64.dataDescriptors = true
        try zip64.add(path: "z/deflated.txt", bytes: Array(text.utf8))
        try zip64.add(path: "z/stored.bin", bytes: pattern(300), compress: false)
        try save("zip64-descriptors.zip", zip64.finish())

        var dotdot = ZipWriter()
        try dotdot.add(path: "ok.txt", bytes: Array("ok\n".utf8))
        try dotdot.add(path: "../evil.txt", bytes: Array("evil\n".utf8))
        try save("evil-dotdot.zip", dotdot.finish())

        let single = try oneMember("data.txt", Array("crc protects this\n".utf8), compress: false)
        var badCRC = single
        badCRC[30 + 8] ^= 0x01  // first data byte, after the 30-byte header and "data.txt"
        try save("bad-crc.zip", badCRC)
        try save("encrypted.zip", patch(single, central: 8, local: 6, value: 1))  // flag bit 0
        try save("bzip2-method.zip", patch(single, central: 10, local: 8, value: 12))

        let deflated = try oneMember("big.bin", pattern(4096), compress: true)
        try save("lying-size.zip", patch(deflated, central: 20, value: 0xffff_fff0, width: 4))  // compressed size
        try save("lying-usize.zip", patch(deflated, central: 24, value: 0x7fff_ffff, width: 4))  // uncompressed size

        var cut = ZipWriter()
        try cut.add(path: "t/noise.bin", bytes: noise(65_536), compress: false)
        try cut.add(path: "t/after.txt", bytes: Array("after\n".utf8))
        try save("truncated.zip", Array(cut.finish().prefix(30_000)))

        try save("bomb.zip", try oneMember("zeros.bin", [UInt8](repeating: 0, count: 2 << 20), compress: true))

        // Two directory entries pointing at one local header: overlapping members.
        var two = ZipWriter()
        try two.add(path: "a.bin", bytes: pattern(100), compress: false)
        try two.add(path: "b.bin", bytes: pattern(100), compress: false)
        var overlap = two.finish()
        let second = centralOffsets(overlap)[1]
        overlap.replaceSubrange((second + 42)..<(second + 46), with: [0, 0, 0, 0])
        try save("overlap.zip", overlap)
    }

    private static func oneMember(_ path: String, _ bytes: [UInt8], compress: Bool) throws -> [UInt8] {
        var zip = ZipWriter()
        try zip.add(path: path, bytes: bytes, compress: compress)
        return zip.finish()
    }

    /// Overwrites a little-endian field of the first member's central entry (and local header).
    private static func patch(_ zip: [UInt8], central: Int, local: Int? = nil, value: Int, width: Int = 2) -> [UInt8] {
        var out = zip
        let field = (0..<width).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
        let entry = centralOffsets(zip)[0]
        out.replaceSubrange((entry + central)..<(entry + central + width), with: field)
        if let local { out.replaceSubrange(local..<(local + width), with: field) }
        return out
    }

    /// Offsets of the central-directory entries of a zip written by `ZipWriter` (no comment).
    private static func centralOffsets(_ zip: [UInt8]) -> [Int] {
        let end = zip.count - 22
        var position = Int(zip.littleEndianUInt32(at: end + 16))
        var offsets: [Int] = []
        for _ in 0..<Int(zip.littleEndianUInt16(at: end + 10)) {
            offsets.append(position)
            position += 46 + Int(zip.littleEndianUInt16(at: position + 28)) + Int(zip.littleEndianUInt16(at: position + 30))
                + Int(zip.littleEndianUInt16(at: position + 32))
        }
        return offsets
    }
}
