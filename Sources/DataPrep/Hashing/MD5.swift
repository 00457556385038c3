/// MD5 (RFC 1321), streaming, with the same shape as `SHA256`.
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

    private var a0: UInt32 = 0x67452301, b0: UInt32 = 0xefcdab89, c0: UInt32 = 0x98badcfe, d0: UInt32 = 0x10325476
    private var framing = BlockFraming()

    public init() {}

    /// Feeds `bytes` into the hash.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        // Moved out so `compress` may mutate `self` while the framing is in use; the shared
        // placeholder leaves `blocks` the only owner of its buffer (no copy, no allocation).
        var blocks = framing
        framing = .placeholder
        blocks.feed(bytes) { compress($0, blocks: $1) }
        framing = blocks
    }

    /// Feeds `bytes` into the hash.
    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// Pads the message and returns the 16-byte digest. Call once; the hasher is spent after.
    public mutating func finalize() -> [UInt8] {
        update(framing.padding(lengthBigEndian: false))
        var out = [UInt8]()
        out.reserveCapacity(16)
        for word in [a0, b0, c0, d0] {   // little-endian words
            out += [UInt8(truncatingIfNeeded: word), UInt8(truncatingIfNeeded: word >> 8),
                    UInt8(truncatingIfNeeded: word >> 16), UInt8(word >> 24)]
        }
        return out
    }

    /// The digest of `bytes` in one call.
    public static func hash(_ bytes: [UInt8]) -> [UInt8] {
        var hasher = MD5()
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// The digest of `bytes` as 32 lowercase hex digits.
    public static func hexHash(_ bytes: [UInt8]) -> String { hex(hash(bytes)) }

    /// Lowercase hex of any byte string (as `md5sum` prints).
    public static func hex(_ bytes: [UInt8]) -> String { HexDigits.encode(bytes) }

    // in: `blocks` consecutive 64-byte blocks of 16 little-endian words -> updates a0...d0
    private mutating func compress(_ data: UnsafeRawPointer, blocks: Int) {
        var sa = a0, sb = b0, sc = c0, sd = d0
        MD5.sines.withUnsafeBufferPointer { k in
            MD5.shifts.withUnsafeBufferPointer { s in
                withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 16) { m in
                    for block in 0..<blocks {
                        let p = data + block * 64
                        for i in 0..<16 { m[i] = UInt32(littleEndian: p.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)) }
                        var a = sa, b = sb, c = sc, d = sd
                        for i in 0..<64 {
                            var f: UInt32
                            let g: Int
                            switch i >> 4 {
                            case 0: f = (b & c) | (~b & d); g = i
                            case 1: f = (d & b) | (~d & c); g = (5 &* i &+ 1) & 15
                            case 2: f = b ^ c ^ d; g = (3 &* i &+ 5) & 15
                            default: f = c ^ (b | ~d); g = (7 &* i) & 15
                            }
                            f = f &+ a &+ k[i] &+ m[g]
                            a = d; d = c; c = b
                            b = b &+ ((f << s[i]) | (f >> (32 &- s[i])))
                        }
                        sa = sa &+ a; sb = sb &+ b; sc = sc &+ c; sd = sd &+ d
                    }
                }
            }
        }
        a0 = sa; b0 = sb; c0 = sc; d0 = sd
    }

    /// Per-round left-rotation amounts (RFC 1321 §3.4).
    private static let shifts: [UInt32] = [
        7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
        5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
        4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
        6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
    ]

    /// `floor(abs(sin(i + 1)) * 2^32)` for i in 0..<64 (RFC 1321 §3.4, table T).
    private static let sines: [UInt32] = [
        0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
        0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
        0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
        0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
        0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
        0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
        0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
        0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
    ]
}
