import Testing
@testable import DataPrep
import TestSupport

/// Every member of a tar as (entry, bytes), in archive order.
private func readAll(_ path: String, limits: DecompressionLimits = .default) throws -> [(ArchiveEntry, [UInt8])] {
    var reader = try TarReader(path: path, limits: limits)
    var members: [(ArchiveEntry, [UInt8])] = []
    try reader.forEach { members.append(($0, $1)) }
    return members
}

@Suite struct TarTests {
    static let gnuName = "sample/long-" + String(repeating: "g", count: 120) + ".txt"
    static let paxName = "sample/pax-é-" + String(repeating: "p", count: 40) + ".txt"
    static let prefixName = "sample/" + String(repeating: "d", count: 80) + "/" + String(repeating: "f", count: 90) + ".txt"

    static let sampleMembers: [(ArchiveEntry, [UInt8])] = [
        (ArchiveEntry(path: "sample", size: 0, kind: .directory), []),
        (ArchiveEntry(path: "sample/hello.txt", size: 11, kind: .file), Array("hello, tar\n".utf8)),
        (ArchiveEntry(path: "sample/pattern.bin", size: 1280, kind: .file), ArchiveRecipes.pattern(1280)),
        (ArchiveEntry(path: "sample/empty.txt", size: 0, kind: .file), []),
        (ArchiveEntry(path: "sample/sub", size: 0, kind: .directory), []),
        (ArchiveEntry(path: gnuName, size: 14, kind: .file), Array("gnu long name\n".utf8)),
        (ArchiveEntry(path: paxName, size: 9, kind: .file), Array("pax path\n".utf8)),
        (ArchiveEntry(path: prefixName, size: 13, kind: .file), Array("ustar prefix\n".utf8)),
    ]

    @Test(arguments: ["sample.tar", "sample.tar.gz"])
    func sampleFixtureMembersAreExact(name: String) throws {
        let path = ArchiveRecipes.fixture(name)
        let members = try readAll(path)
        #expect(members.map(\.0) == Self.sampleMembers.map(\.0))
        #expect(members.map(\.1) == Self.sampleMembers.map(\.1))
        #expect(try TarReader.list(path: path) == Self.sampleMembers.map(\.0))
        #expect(try TarReader(path: path).isCompressed == name.hasSuffix(".gz"))
    }

    @Test func wantsSkipsMembersWithoutCallingBody() throws {
        var reader = try TarReader(path: ArchiveRecipes.fixture("sample.tar.gz"))
        var offered: [String] = []
        var received: [String: [UInt8]] = [:]
        try reader.forEach(wants: { offered.append($0.path); return $0.path.hasSuffix(".bin") || $0.kind == .directory }) {
            received[$0.path] = $1
        }
        #expect(offered == Self.sampleMembers.map(\.0.path))
        #expect(received == ["sample": [], "sample/sub": [], "sample/pattern.bin": ArchiveRecipes.pattern(1280)])
    }

    @Test func writerRoundTripsEveryNameFormAndSize() throws {
        let names = [
            "a", String(repeating: "x", count: 100), "dir/" + String(repeating: "y", count: 99),
            String(repeating: "p", count: 150) + "/" + String(repeating: "n", count: 100),
            String(repeating: "long/", count: 80) + "end.bin", "ünïcødé/名前.txt",
        ]
        var writer = TarWriter()
        var expected: [(ArchiveEntry, [UInt8])] = []
        writer.addDirectory(path: "dir")
        expected.append((ArchiveEntry(path: "dir", size: 0, kind: .directory), []))
        for (i, size) in [0, 1, 511, 512, 513, 100_000].enumerated() {
            for (j, base) in names.enumerated() {
                let path = "\(i)-\(j)/" + base
                let bytes = ArchiveRecipes.noise(size, seed: UInt32(i * 10 + j))
                let style: TarWriter.LongNames = [.automatic, .pax, .gnu][(i + j) % 3]
                writer.addFile(path: path, bytes: bytes, longNames: style)
                expected.append((ArchiveEntry(path: path, size: size, kind: .file), bytes))
            }
        }
        let tar = writer.finish()
        #expect(tar == writer.finish() && tar.count % 512 == 0)
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        for file in [try folder.write("round.tar", tar), try folder.write("round.tgz", Gzip.compress(tar))] {
            let members = try readAll(file)
            #expect(members.map(\.0) == expected.map(\.0))
            #expect(members.map(\.1) == expected.map(\.1))
        }
    }

    @Test func streamsATarGzLargerThanManyInflateChunks() throws {
        // 3 MB of noise keeps the gzip over 3 MB too: several 1 MiB input chunks, and members
        // that cross every buffer boundary.
        var writer = TarWriter()
        let members = [("big/noise.bin", ArchiveRecipes.noise(3_000_000)), ("big/small.txt", Array("small\n".utf8)),
                       ("big/pattern.bin", ArchiveRecipes.pattern(2_500_001)), ("big/noise2.bin", ArchiveRecipes.noise(700_001, seed: 9))]
        for (path, bytes) in members { writer.addFile(path: path, bytes: bytes) }
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let gz = try Gzip.compress(writer.finish())
        #expect(gz.count > 3 << 20)
        let read = try readAll(folder.write("big.tar.gz", gz))
        #expect(read.map(\.0.path) == members.map(\.0))
        #expect(read.map(\.1) == members.map(\.1))
    }

    @Test func linksAreReportedNotFollowed() throws {
        let members = try readAll(ArchiveRecipes.fixture("symlink.tar"))
        #expect(members.map(\.0) == [ArchiveEntry(path: "links/target.txt", size: 7, kind: .file),
                                     ArchiveEntry(path: "links/link.txt", size: 0, kind: .symlink),
                                     ArchiveEntry(path: "links/hard.txt", size: 0, kind: .hardlink)])
        #expect(members.map(\.1) == [Array("target\n".utf8), [], []])
    }

    @Test func escapingMembersThrowWhenReached() throws {
        let dotdot = ArchiveRecipes.fixture("evil-dotdot.tar")
        var seen: [String] = []
        guard case let .unsafeArchiveEntry(archive, entry, _)? = dataPrepError({
            var reader = try TarReader(path: dotdot)
            try reader.forEach { entry, _ in seen.append(entry.path) }
        }) else { Issue.record("expected .unsafeArchiveEntry"); return }
        #expect(archive == dotdot && entry == "../evil.txt" && seen == ["safe.txt"])

        let absolute = ArchiveRecipes.fixture("evil-absolute.tar")
        guard case let .unsafeArchiveEntry(archive2, entry2, reason)? = dataPrepError({ _ = try TarReader.list(path: absolute) }) else {
            Issue.record("expected .unsafeArchiveEntry"); return
        }
        #expect(archive2 == absolute && entry2 == "/tmp/evil.txt" && reason.contains("absolute"))
    }

    @Test func badChecksumNamesMemberAndOffset() throws {
        let path = ArchiveRecipes.fixture("bad-checksum.tar")
        guard case let .corrupt(p, offset, reason)? = dataPrepError({ _ = try readAll(path) }) else {
            Issue.record("expected .corrupt"); return
        }
        #expect(p == path && offset == 512 && reason.hasPrefix("tar header checksum mismatch at member 1"))
    }

    @Test func truncatedMembersThrowTruncatedNamingTheMember() throws {
        let tar = ArchiveRecipes.fixture("truncated.tar")
        guard case let .truncated(p, expected, found)? = dataPrepError({ _ = try readAll(tar) }) else {
            Issue.record("expected .truncated"); return
        }
        #expect(p == tar + ":big/noise.bin" && expected == 512 + 200_000 && found == 100_000)

        let tgz = ArchiveRecipes.fixture("truncated.tar.gz")
        for read in [{ _ = try readAll(tgz) }, { _ = try TarReader.list(path: tgz) }] {
            guard case let .truncated(p2, expected2, found2)? = dataPrepError(read) else {
                Issue.record("expected .truncated"); return
            }
            #expect(p2 == tgz + ":big/noise.bin" && expected2 == 512 + 200_000 && found2 < expected2)
        }
    }

    @Test func endOfArchiveVariantsAreAccepted() throws {
        var writer = TarWriter()
        writer.addFile(path: "one.txt", bytes: Array("1\n".utf8))
        let full = writer.finish()
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        for cut in [full.count - 512, full.count - 1024] {
            let variant = Array(full.prefix(cut))
            for file in [try folder.write("cut\(cut).tar", variant), try folder.write("cut\(cut).tar.gz", Gzip.compress(variant))] {
                #expect(try TarReader.list(path: file) == [ArchiveEntry(path: "one.txt", size: 2, kind: .file)])
            }
        }
        // Record padding after the end marker, as GNU tar writes it.
        let padded = try folder.write("padded.tar", full + [UInt8](repeating: 0, count: 8192))
        #expect(try TarReader.list(path: padded).count == 1)
    }

    @Test func base256SizeAndSignedChecksumAreRead() throws {
        var header = TarBlocks.header(name: "b256.bin", size: 0)
        header.replaceSubrange(124..<136, with: [0x80] + [UInt8](repeating: 0, count: 10) + [5])
        TarBlocks.sealChecksum(&header)
        // A name with bytes over 0x7f, summed as signed chars (old Sun tar).
        var signed = TarBlocks.header(name: "é.txt", size: 3)
        TarBlocks.writeChecksum(TarBlocks.checksums(signed).signed, into: &signed)
        let data = [1, 2, 3, 4, 5] + [UInt8](repeating: 0, count: 507)
        let tar = header + data + signed + [9, 8, 7] + [UInt8](repeating: 0, count: 509 + 1024)
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let members = try readAll(folder.write("odd.tar", tar))
        #expect(members.map(\.0) == [ArchiveEntry(path: "b256.bin", size: 5, kind: .file), ArchiveEntry(path: "é.txt", size: 3, kind: .file)])
        #expect(members.map(\.1) == [[1, 2, 3, 4, 5], [9, 8, 7]])
    }

    @Test func hostileHeadersFailBeforeAllocating() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        // A 2 KB tar whose header claims 1 TiB.
        var header = TarBlocks.header(name: "huge.bin", size: 0)
        header.replaceSubrange(124..<136, with: [0x80, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0])   // 1 TiB, GNU base-256
        TarBlocks.sealChecksum(&header)
        let tar = try folder.write("huge.tar", header + [UInt8](repeating: 0, count: 1536))
        guard case let .truncated(p, expected, _)? = dataPrepError({ _ = try readAll(tar) }) else {
            Issue.record("expected .truncated"); return
        }
        #expect(p == tar + ":huge.bin" && expected == 512 + 1 << 40)
        let tgz = try folder.write("huge.tar.gz", Gzip.compress(header + [UInt8](repeating: 0, count: 1536)))
        guard case .limitExceeded? = dataPrepError({ _ = try readAll(tgz) }) else {
            Issue.record("expected .limitExceeded"); return
        }
        // A pax record whose length points past its data, before the member it describes.
        let pax = Array("99 path=x\n".utf8)
        let paxHeader = TarBlocks.header(name: "././@PaxHeader", size: pax.count, typeflag: UInt8(ascii: "x"))
        let member = TarBlocks.header(name: "a.txt", size: 2) + Array("hi".utf8) + [UInt8](repeating: 0, count: 510)
        let badPax = try folder.write("pax.tar", paxHeader + pax + [UInt8](repeating: 0, count: 512 - pax.count) + member + [UInt8](repeating: 0, count: 1024))
        guard case let .corrupt(_, offset, reason)? = dataPrepError({ _ = try readAll(badPax) }) else {
            Issue.record("expected .corrupt"); return
        }
        #expect(offset == 0 && reason.contains("pax"), "\(reason)")
    }

    @Test func limitsApplyToTheWholeStream() throws {
        let small = DecompressionLimits(maxOutputBytes: 4096, maxRatio: .max, ratioGraceBytes: 0)
        guard case .limitExceeded? = dataPrepError({ _ = try readAll(ArchiveRecipes.fixture("sample.tar.gz"), limits: small) }) else {
            Issue.record("expected .limitExceeded"); return
        }
    }

    @Test func nonTarInputIsWrongMagic() throws {
        let zip = ArchiveRecipes.fixture("sample.zip")
        guard case let .wrongMagic(p, _, _, hint)? = dataPrepError({ _ = try readAll(zip) }) else {
            Issue.record("expected .wrongMagic"); return
        }
        #expect(p == zip && hint?.contains("ZIP") == true)
        let gz = ArchiveRecipes.fixture("multi-member.gz")
        guard case let .wrongMagic(p2, _, _, hint2)? = dataPrepError({ _ = try readAll(gz) }) else {
            Issue.record("expected .wrongMagic"); return
        }
        #expect(p2 == gz && hint2?.contains("too short") == true)
    }

    @Test func pathValidationNormalisesAndRefuses() throws {
        let ok = ["a/b": "a/b", "./a//b/": "a/b", "./": ".", "a/./b": "a/b", "a..b/c": "a..b/c", "..a": "..a"]
        for (raw, normal) in ok { #expect(try ArchivePath.validate(raw, archive: "t") == normal) }
        for raw in ["", "/etc/passwd", "../x", "a/../../x", "a/..", "..\\x", "a\\..\\x", "\\x", "C:x", "a\u{0}b"] {
            guard case let .unsafeArchiveEntry(archive, entry, _)? = dataPrepError({ _ = try ArchivePath.validate(raw, archive: "t") }) else {
                Issue.record("expected .unsafeArchiveEntry for \(raw)"); continue
            }
            #expect(archive == "t" && entry == raw)
        }
    }
}

/// libarchive reads the tar; the gzip under it is ours (zlib), because libarchive 3.6 checks
/// neither the CRC-32 nor the length in a gzip trailer.
@Suite struct TarGzipTrailerTests {
    @Test func aDamagedTrailerAfterTheEndMarkerIsCorrupt() throws {
        var writer = TarWriter()
        writer.addFile(path: "one.txt", bytes: Array("1\n".utf8))
        var gz = try Gzip.compress(writer.finish())
        gz[gz.count - 8] ^= 0xff   // the CRC-32's first byte
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try folder.write("crc.tar.gz", gz)
        guard case let .corrupt(p, _, reason)? = dataPrepError({ _ = try TarReader.list(path: path) }) else {
            Issue.record("expected .corrupt"); return
        }
        #expect(p == path && reason.contains("CRC"), "\(reason)")
    }
}
