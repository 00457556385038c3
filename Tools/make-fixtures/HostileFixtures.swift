import DataPrep

/// Inputs written by an attacker rather than by a broken download, under `hostile/`: archive
/// members that try to leave the output folder, decompression bombs, headers whose sizes
/// overflow or exceed the file, and JSON documents nested deep enough to blow Foundation's
/// recursive parser. Each file is small (the largest, a 32 MiB bomb, is 33 KB) and each has a
/// test asserting its specific error (`HostileInputTests`, `HostileCheckpointTests`,
/// `HostilePipelineTests`).
enum HostileFixtures {
    /// Brackets far past `JSONInputLimits.standard.maxDepth` (64), like the 10,000-deep
    /// documents that crash recursive parsers.
    static let depth = 10_000

    static func write(into root: String) throws -> [String] {
        var out = FixtureWriter(root: root)
        try writeArchives(&out)
        try writeJSON(&out)
        try writeSafeTensors(&out)
        try writeNPY(&out)
        try writeImages(&out)
        return out.written
    }

    // MARK: Archives

    private static func writeArchives(_ out: inout FixtureWriter) throws {
        var absolute = ZipWriter()
        try absolute.add(path: "ok.txt", bytes: Array("ok\n".utf8))
        try absolute.add(path: "/etc/evil.txt", bytes: Array("evil\n".utf8))
        try out.write("hostile/archives/absolute.zip", absolute.finish())

        var backslash = ZipWriter()
        try backslash.add(path: "..\\evil.txt", bytes: Array("evil\n".utf8))
        try out.write("hostile/archives/backslash-dotdot.zip", backslash.finish())

        var nested = TarWriter()
        nested.addFile(path: "a/b/ok.txt", bytes: Array("ok\n".utf8))
        nested.addFile(path: "a/b/../../../evil.txt", bytes: Array("evil\n".utf8))
        try out.write("hostile/archives/nested-dotdot.tar", nested.finish())

        // A link out of the tree, then a member "inside" the link: an extractor that follows
        // links would write /etc/passwd. We list the link with no data and never resolve it.
        var escape = TarWriter()
        escape.addSymlink(path: "data", target: "/etc")
        escape.addFile(path: "data/passwd", bytes: Array("root::0:0::/:/bin/sh\n".utf8))
        try out.write("hostile/archives/symlink-escape.tar", escape.finish())

        var linkedImage = ZipWriter()
        try linkedImage.add(path: "cat/a.png", bytes: PNG.encode(Image(width: 4, height: 4, channels: 3, filledWith: 200)))
        try linkedImage.addSymlink(path: "cat/evil.png", target: "/etc/passwd")
        try linkedImage.add(path: "dog/b.png", bytes: PNG.encode(Image(width: 4, height: 4, channels: 3, filledWith: 40)))
        try out.write("hostile/archives/symlink-member.zip", linkedImage.finish())

        // 32 MiB of zeros deflates about 1030:1, past the default 1000:1 ratio once beyond the
        // 16 MiB grace: the default limits stop these, not only tightened ones.
        let zeros = [UInt8](repeating: 0, count: 32 << 20)
        try out.write("hostile/archives/zeros-32mib.gz", Gzip.compress(zeros, level: 9))
        var bombTar = TarWriter()
        bombTar.addFile(path: "zeros.bin", bytes: zeros)
        try out.write("hostile/archives/zeros-32mib.tar.gz", Gzip.compress(bombTar.finish(), level: 9))
    }

    // MARK: JSON

    private static func writeJSON(_ out: inout FixtureWriter) throws {
        let deepArray = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        let deepObject = String(repeating: "{\"a\":", count: depth) + "null" + String(repeating: "}", count: depth)
        try out.write("hostile/json/deep-array.json", Array(deepArray.utf8))
        try out.write("hostile/json/deep-object.json", Array(deepObject.utf8))
        // The deep array where each reader looks for its document.
        try out.write("hostile/json/deep-dataset/dataset.json", Array(deepArray.utf8))
        try out.write("hostile/json/deep-checkpoint/checkpoint.json", Array(deepArray.utf8))
        try out.write("hostile/json/deep-pipeline.json", Array(deepArray.utf8))
        try out.write("hostile/json/deep-model.json", Array(deepArray.utf8))
        // Shallow (depth 2) but full of brackets, quotes and backslashes inside strings: the
        // pre-scan must skip string contents and escapes, and let this through.
        let tricky = "{\"name\": \"" + String(repeating: "[{", count: depth) + "\\\"[\\\\\", \"layers\": [\"]]]}}}\\\\\"]}"
        try out.write("hostile/json/brackets-in-strings.json", Array(tricky.utf8))
        // A split output whose description points outside its folder.
        let escaping = """
        {"format":"dataprep-dataset","version":1,"height":1,"width":1,"channels":1,"dtype":"uint8",\
        "classNames":["a"],"normalization":null,"splits":[{"name":"train","count":1,"x":"../../../../etc/passwd",\
        "y":"train/y.npy","histogram":[1]}],"seed":null,"command":null}
        """
        try out.write("hostile/json/escaping-dataset/dataset.json", Array(escaping.utf8))
    }

    // MARK: safetensors

    private static func writeSafeTensors(_ out: inout FixtureWriter) throws {
        func file(length: UInt64, header: String, data: [UInt8] = []) -> [UInt8] {
            var bytes = (0..<8).map { UInt8(truncatingIfNeeded: length >> (8 * UInt64($0))) }
            bytes += Array(header.utf8)
            return bytes + data
        }
        func padded(_ header: String) -> String {
            header + String(repeating: " ", count: (8 - header.utf8.count % 8) % 8)
        }
        try out.write("hostile/safetensors/huge-header-length.safetensors", file(length: 1 << 62, header: padded("{}")))
        try out.write("hostile/safetensors/header-beyond-file.safetensors", file(length: 1_000_000, header: padded("{}")))
        let deep = padded(String(repeating: "[", count: depth) + String(repeating: "]", count: depth))
        try out.write("hostile/safetensors/deep-header.safetensors", file(length: UInt64(deep.utf8.count), header: deep))
        let overflow = padded("{\"t\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904,4],\"data_offsets\":[0,16]}}")
        try out.write("hostile/safetensors/overflow-shape.safetensors",
                      file(length: UInt64(overflow.utf8.count), header: overflow, data: [UInt8](repeating: 0, count: 16)))
        let beyond = padded("{\"t\":{\"dtype\":\"F32\",\"shape\":[250000000000],\"data_offsets\":[0,1000000000000]}}")
        try out.write("hostile/safetensors/offsets-beyond-file.safetensors",
                      file(length: UInt64(beyond.utf8.count), header: beyond, data: [UInt8](repeating: 0, count: 16)))
    }

    // MARK: npy

    private static func writeNPY(_ out: inout FixtureWriter) throws {
        /// Version 1 file: magic, version, header padded so data starts at a multiple of 64.
        func npy(_ dict: String, data: [UInt8]) -> [UInt8] {
            var header = Array(dict.utf8)
            let total = 10 + header.count + 1
            header += [UInt8](repeating: 0x20, count: (64 - total % 64) % 64) + [0x0A]
            return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.count & 0xff), UInt8(header.count >> 8)] + header + data
        }
        try out.write("hostile/npy/lying-shape.npy",
                      npy("{'descr': '|u1', 'fortran_order': False, 'shape': (60000, 28, 28), }", data: [UInt8](repeating: 7, count: 784)))
        try out.write("hostile/npy/overflow-shape.npy",
                      npy("{'descr': '<f4', 'fortran_order': False, 'shape': (4611686018427387904, 4611686018427387904), }", data: []))
        // Version 2 keeps a 4-byte header length: 0xFFFFFFFF asks for 4 GiB of header.
        try out.write("hostile/npy/huge-header-length.npy", [0x93] + Array("NUMPY".utf8) + [2, 0, 0xff, 0xff, 0xff, 0xff] + Array("{}".utf8))
    }

    // MARK: Images

    private static func writeImages(_ out: inout FixtureWriter) throws {
        let small = Image(width: 8, height: 8, channels: 3, filledWith: 128)
        // IHDR: bytes 16..<24 are width and height (big-endian), its CRC covers bytes 12..<29.
        var png = try PNG.encode(small)
        png.replaceSubrange(16..<24, with: [0, 0, 0x9c, 0x40, 0, 0, 0x9c, 0x40])  // 40000 x 40000
        let crc = crc32(Array(png[12..<29]))
        png.replaceSubrange(29..<33, with: (0..<4).map { UInt8(truncatingIfNeeded: crc >> (24 - 8 * UInt32($0))) })
        try out.write("hostile/images/huge-dimensions.png", png)

        var jpeg = try JPEG.encode(small, quality: 90)
        if let sof = (0..<(jpeg.count - 1)).first(where: { jpeg[$0] == 0xff && jpeg[$0 + 1] == 0xc0 }) {
            jpeg.replaceSubrange((sof + 5)..<(sof + 9), with: [0xea, 0x60, 0xea, 0x60])  // 60000 x 60000
        }
        try out.write("hostile/images/huge-dimensions.jpg", jpeg)
    }
}
