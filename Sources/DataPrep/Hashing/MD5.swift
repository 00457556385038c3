/// MD5 (RFC 1321), streaming, with the same shape as `SHA256` (libcrypto's EVP MD5).
///
/// MD5 is broken for adversarial collisions; it is here only because the dataset authors and
/// torchvision publish MD5 sums (CIFAR page, `mnist.py`), so it is what a download can be
/// checked against. New manifests use `SHA256`.
///
/// - Complexity: O(n) in the bytes hashed; O(1) memory.
/// - Reference: RFC 1321 §3; test vectors from its appendix A.5.
public struct MD5: Sendable {
    /// The digest length in bytes.
    public static let byteCount = 16

    private var digest = EVPDigest(.md5)

    public init() {}

    /// Feeds `bytes` into the hash.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) { digest.update(bytes) }

    /// Feeds `bytes` into the hash.
    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// The 16-byte digest. Call once; the hasher is spent after.
    public mutating func finalize() -> [UInt8] { digest.finalize() }

    /// The digest of `bytes` in one call.
    public static func hash(_ bytes: [UInt8]) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: byteCount) { out, count in
            bytes.withUnsafeBytes { EVPDigest.hash(.md5, $0, into: out.baseAddress!) }
            count = byteCount
        }
    }

    /// The digest of `bytes` as 32 lowercase hex digits.
    public static func hexHash(_ bytes: [UInt8]) -> String { hex(hash(bytes)) }

    /// Lowercase hex of any byte string (as `md5sum` prints).
    public static func hex(_ bytes: [UInt8]) -> String { HexDigits.encode(bytes) }
}
