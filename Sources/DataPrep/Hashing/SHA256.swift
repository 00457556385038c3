/// SHA-256 (FIPS 180-4), streaming: `update` any number of times, then `finalize` once.
///
/// ```swift
/// var hasher = SHA256()
/// hasher.update(chunk1); hasher.update(chunk2)
/// let digest = hasher.finalize()           // 32 bytes
/// SHA256.hex(digest)                       // 64 lowercase hex digits
/// SHA256.hexHash(Array("abc".utf8))        // "ba7816bf…"
/// ```
///
/// Used to verify downloads and to fingerprint every source file and sample in split
/// manifests, so it has to keep up with decoding: it is libcrypto's (OpenSSL) EVP SHA-256
/// (`EVPDigest`), which uses the SHA extensions where the CPU has them.
///
/// - Complexity: O(n) in the bytes hashed; O(1) memory.
/// - Reference: NIST FIPS 180-4, §6.2; test vectors from NIST's "SHA-256 examples" (CSRC).
public struct SHA256: Sendable {
    /// The digest length in bytes.
    public static let byteCount = 32

    private var digest = EVPDigest(.sha256)

    public init() {}

    /// Feeds `bytes` into the hash.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) { digest.update(bytes) }

    /// Feeds `bytes` into the hash.
    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// The 32-byte digest. Call once; the hasher is spent after.
    public mutating func finalize() -> [UInt8] { digest.finalize() }

    /// The digest of `bytes` in one call.
    public static func hash(_ bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBytes { hash($0) }
    }

    /// The digest of `bytes` in one call.
    public static func hash(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: byteCount) { out, count in
            EVPDigest.hash(.sha256, bytes, into: out.baseAddress!)
            count = byteCount
        }
    }

    /// Writes the digest of `bytes` to `out` (32 bytes): the per-sample path, no allocation.
    public static func hash(_ bytes: UnsafeRawBufferPointer, into out: UnsafeMutableRawPointer) {
        EVPDigest.hash(.sha256, bytes, into: out)
    }

    /// The digest of `bytes` as 64 lowercase hex digits.
    public static func hexHash(_ bytes: [UInt8]) -> String { hex(hash(bytes)) }

    /// Lowercase hex of any byte string (digests print this way in `sha256sum` and manifests).
    public static func hex(_ bytes: [UInt8]) -> String { HexDigits.encode(bytes) }
}
