import Testing
import TestSupport
@testable import DataPrep

/// libdeflate only accelerates clean single-member files; everything else must fall back to
/// zlib so errors stay precise.
@Suite struct GzipFastPathTests {
    @Test func cleanFileTakesTheFastPathAndMatchesZlib() throws {
        var original = [UInt8](repeating: 0, count: 200_000)
        for i in 0..<original.count { original[i] = UInt8((i * 7 + i / 300) % 251) }
        let gz = try Gzip.compress(original)
        #expect(Gzip.fastDecompress(gz, expectedSize: original.count) == original)
        #expect(try Gzip.decompress(gz, name: "x.gz") == original)
    }

    @Test(arguments: ["multi-member.gz", "bad-crc.gz", "truncated.gz"])
    func anythingElseFallsBackToZlib(_ name: String) throws {
        let bytes = try FileIO.read(TestPaths.fixture("archives/" + name))
        let isize = Int(bytes.littleEndianUInt32(at: bytes.count - 4))
        #expect(Gzip.fastDecompress(bytes, expectedSize: isize) == nil)
    }

    @Test func wrongExpectedSizeIsRejected() throws {
        let gz = try Gzip.compress(Array("hello hello hello".utf8))
        #expect(Gzip.fastDecompress(gz, expectedSize: 5) == nil)
    }
}
