import DataPrep
import Testing

/// libcrypto's EVP digests, fed the way our callers feed them: random-size pieces (the carried
/// partial block is where streaming hashes go wrong), one-shot into a caller's buffer (the
/// split's per-sample path), and copied mid-stream. Oracle: Python's `hashlib` (OpenSSL too,
/// but a different entry point), over messages any language can rebuild:
/// `message[i] = (i * 131 + length * 7) & 0xff`, digests of all lengths concatenated, then
/// SHA-256 of that concatenation (printed in each test).
@Suite struct EVPDigestTests {
    static let lengths = Array(0...300) + [4095, 4096, 4097, 1 << 20]

    static func message(_ length: Int) -> [UInt8] {
        (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ length &* 7) }
    }

    /// `message` cut into random pieces of 1...150 bytes.
    static func pieces(_ message: [UInt8], _ generator: inout SeededGenerator) -> [[UInt8]] {
        var pieces: [[UInt8]] = []
        var offset = 0
        while offset < message.count {
            let piece = min(message.count - offset, 1 + generator.nextInt(below: 150))
            pieces.append(Array(message[offset ..< offset + piece]))
            offset += piece
        }
        return pieces
    }

    @Test func sha256InRandomPiecesMatchesHashlib() {
        var generator = SeededGenerator(seed: 42)
        var all: [UInt8] = []
        for length in Self.lengths {
            let message = Self.message(length)
            var hasher = SHA256()
            for piece in Self.pieces(message, &generator) { hasher.update(piece) }
            let digest = hasher.finalize()
            #expect(digest == SHA256.hash(message), "length \(length)")
            var direct = [UInt8](repeating: 0, count: 32)
            message.withUnsafeBytes { bytes in direct.withUnsafeMutableBytes { SHA256.hash(bytes, into: $0.baseAddress!) } }
            #expect(direct == digest, "length \(length), hash(into:)")
            all += digest
        }
        #expect(SHA256.hexHash(all) == "526ee38d097720e418d29afe599aff0b8a45761d698c48f91f4d502e36f9baa7")
    }

    @Test func md5InRandomPiecesMatchesHashlib() {
        var generator = SeededGenerator(seed: 7)
        var all: [UInt8] = []
        for length in Self.lengths {
            let message = Self.message(length)
            var hasher = MD5()
            for piece in Self.pieces(message, &generator) { hasher.update(piece) }
            let digest = hasher.finalize()
            #expect(digest == MD5.hash(message), "length \(length)")
            all += digest
        }
        #expect(SHA256.hexHash(all) == "64777afbaa7ec752e9fb5d9a09cae33aa60d3efa5752c9f4b1d25d7b8cb5056d")
    }

    /// A hasher is a value: a copy taken mid-stream goes on independently of the original.
    @Test func copiedHashersDiverge() {
        var first = SHA256()
        first.update(Array("ab".utf8))
        var second = first
        first.update(Array("c".utf8))
        second.update(Array("d".utf8))
        #expect(SHA256.hex(first.finalize()) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(second.finalize() == SHA256.hash(Array("abd".utf8)))
    }
}
