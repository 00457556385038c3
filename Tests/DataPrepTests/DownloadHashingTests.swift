import Foundation
import Testing
@testable import DataPrep

/// SHA-256 against NIST's published examples and MD5 against RFC 1321's appendix A.5 suite.
@Suite struct DownloadHashingTests {
    /// FIPS 180-4 examples (NIST CSRC "SHA256.pdf" / "SHA2_Additional.pdf"): "", "abc", the
    /// 448-bit two-block message, and one million 'a'.
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
         "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
    ])
    func sha256Vectors(message: String, expected: String) {
        #expect(SHA256.hexHash(Array(message.utf8)) == expected)
    }

    @Test func sha256OneMillionA() {
        let message = [UInt8](repeating: 0x61, count: 1_000_000)
        #expect(SHA256.hexHash(message) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        // Fed in uneven pieces (1, 63, 64, 65, … bytes) the digest must be the same.
        var hasher = SHA256()
        var offset = 0, piece = 1
        while offset < message.count {
            let end = min(message.count, offset + piece)
            hasher.update(Array(message[offset..<end]))
            offset = end
            piece = piece * 7 % 1031 + 1
        }
        #expect(SHA256.hex(hasher.finalize()) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// RFC 1321 appendix A.5 test suite.
    @Test(arguments: [
        ("", "d41d8cd98f00b204e9800998ecf8427e"),
        ("a", "0cc175b9c0f1b6a831c399e269772661"),
        ("abc", "900150983cd24fb0d6963f7d28e17f72"),
        ("message digest", "f96b697d7cb7938d525a2f31aaf161d0"),
        ("abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"),
        ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "d174ab98d277d9f5a5611c2c9f419d9f"),
        (String(repeating: "1234567890", count: 8), "57edf4a22be3c955ac49da2e2107b67a"),
    ])
    func md5Vectors(message: String, expected: String) {
        #expect(MD5.hexHash(Array(message.utf8)) == expected)
    }

    /// Every split point of messages around the 55/56/64-byte padding boundaries gives the
    /// one-shot digest (the carry-over buffer is where streaming hashes go wrong).
    @Test func splitUpdatesMatchOneShot() {
        for length in [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 128, 200] {
            let message = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            let sha = SHA256.hash(message), md5 = MD5.hash(message)
            for split in 0...length {
                var s = SHA256(), m = MD5()
                s.update(Array(message[..<split])); s.update(Array(message[split...]))
                m.update(Array(message[..<split])); m.update(Array(message[split...]))
                #expect(s.finalize() == sha, "sha256 length \(length) split \(split)")
                #expect(m.finalize() == md5, "md5 length \(length) split \(split)")
            }
        }
        #expect(SHA256.hash([]).count == 32 && MD5.hash([]).count == 16)
    }

    @Test func rawBufferUpdateAndHex() {
        var hasher = SHA256()
        Array("abc".utf8).withUnsafeBytes { hasher.update($0) }
        #expect(SHA256.hex(hasher.finalize()).hasPrefix("ba7816bf"))
        #expect(SHA256.hex([0x00, 0x0f, 0xa0, 0xff]) == "000fa0ff")
    }

    @Test func fileDigestStreamsAFile() throws {
        let dir = try DownloadTestFiles.temporaryDirectory()
        defer { DownloadTestFiles.remove(dir) }
        let bytes = DownloadTestFiles.payload(count: 3 << 20 | 12345)   // > 3 chunks of 1 MiB, uneven tail
        let path = dir + "/blob"
        try FileIO.writeAtomically(bytes, to: path)
        let digest = try FileDigest(ofFileAt: path)
        #expect(digest.byteCount == bytes.count)
        #expect(digest.sha256 == SHA256.hexHash(bytes))
        #expect(digest.md5 == MD5.hexHash(bytes))
        #expect(throws: DataPrepError.self) { try FileDigest(ofFileAt: dir + "/missing") }
    }
}

/// Temporary folders and deterministic payloads for the download tests.
enum DownloadTestFiles {
    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "dataprep-download-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func remove(_ path: String) { try? FileManager.default.removeItem(atPath: path) }

    /// `count` bytes from the fixtures' LCG (`state = state*1664525 + 1013904223`, top byte, seed 1).
    static func payload(count: Int) -> [UInt8] {
        var state: UInt32 = 1
        return (0..<count).map { _ in
            state = state &* 1664525 &+ 1013904223
            return UInt8(state >> 24)
        }
    }
}
