import CHash

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
/// Used to verify downloads and to fingerprint every source file in split manifests, so it has
/// to keep up with decoding: on CPUs with the SHA extensions (x86 SHA-NI, e.g. Zen, Ice Lake
/// and later) whole blocks go to a C kernel using them (`CHash`), otherwise to the portable
/// Swift loop below (about 180 MB/s on one core; MD5: about 280 MB/s). Both give the same
/// digest, and tests compare them. Whole 64-byte blocks are compressed straight from the
/// caller's buffer (no copy).
///
/// - Complexity: O(n) in the bytes hashed; O(1) memory.
/// - Reference: NIST FIPS 180-4, §6.2; test vectors from NIST's "SHA-256 examples" (CSRC).
public struct SHA256: Sendable {
    /// The digest length in bytes.
    public static let byteCount = 32

    private var h0: UInt32 = 0x6a09e667, h1: UInt32 = 0xbb67ae85, h2: UInt32 = 0x3c6ef372, h3: UInt32 = 0xa54ff53a
    private var h4: UInt32 = 0x510e527f, h5: UInt32 = 0x9b05688c, h6: UInt32 = 0x1f83d9ab, h7: UInt32 = 0x5be0cd19
    private var framing = BlockFraming()

    /// Which compression function to use.
    public enum Implementation: Sendable {
        /// SHA-NI when the CPU has it, else portable.
        case fastest
        /// The Swift loop, always (for tests and comparisons).
        case portable
    }

    private let hardware: Bool

    public init(_ implementation: Implementation = .fastest) {
        hardware = implementation == .fastest && SHA256.hardwareAvailable
    }

    /// Whether this CPU has the SHA extensions (asked once).
    public static let hardwareAvailable = chash_sha256_hardware_available() != 0

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

    /// Pads the message and returns the 32-byte digest. Call once; the hasher is spent after.
    public mutating func finalize() -> [UInt8] {
        update(framing.padding(lengthBigEndian: true))
        var out = [UInt8]()
        out.reserveCapacity(32)
        for word in [h0, h1, h2, h3, h4, h5, h6, h7] {
            out += [UInt8(word >> 24), UInt8(truncatingIfNeeded: word >> 16), UInt8(truncatingIfNeeded: word >> 8), UInt8(truncatingIfNeeded: word)]
        }
        return out
    }

    /// The digest of `bytes` in one call.
    public static func hash(_ bytes: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// The digest of `bytes` as 64 lowercase hex digits.
    public static func hexHash(_ bytes: [UInt8]) -> String { hex(hash(bytes)) }

    /// Lowercase hex of any byte string (digests print this way in `sha256sum` and manifests).
    public static func hex(_ bytes: [UInt8]) -> String { HexDigits.encode(bytes) }

    // in: `blocks` consecutive 64-byte big-endian blocks at `data` -> updates h0...h7
    private mutating func compress(_ data: UnsafeRawPointer, blocks: Int) {
        if hardware {
            var state = (h0, h1, h2, h3, h4, h5, h6, h7)
            withUnsafeMutableBytes(of: &state) { raw in
                chash_sha256_blocks(raw.baseAddress!.assumingMemoryBound(to: UInt32.self),
                                    data.assumingMemoryBound(to: UInt8.self), blocks)
            }
            (h0, h1, h2, h3, h4, h5, h6, h7) = state
            return
        }
        var a0 = h0, b0 = h1, c0 = h2, d0 = h3, e0 = h4, f0 = h5, g0 = h6, hh0 = h7
        SHA256.roundConstants.withUnsafeBufferPointer { k in
            withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
                for block in 0..<blocks {
                    let p = data + block * 64
                    for t in 0..<16 {
                        w[t] = UInt32(bigEndian: p.loadUnaligned(fromByteOffset: t * 4, as: UInt32.self))
                    }
                    for t in 16..<64 {
                        let x = w[t - 15], y = w[t - 2]
                        let s0 = rotr(x, 7) ^ rotr(x, 18) ^ (x >> 3)
                        let s1 = rotr(y, 17) ^ rotr(y, 19) ^ (y >> 10)
                        w[t] = w[t - 16] &+ s0 &+ w[t - 7] &+ s1
                    }
                    var a = a0, b = b0, c = c0, d = d0, e = e0, f = f0, g = g0, h = hh0
                    for t in 0..<64 {
                        let s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
                        let ch = (e & f) ^ (~e & g)
                        let t1 = h &+ s1 &+ ch &+ k[t] &+ w[t]
                        let s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
                        let maj = (a & b) ^ (a & c) ^ (b & c)
                        let t2 = s0 &+ maj
                        h = g; g = f; f = e; e = d &+ t1
                        d = c; c = b; b = a; a = t1 &+ t2
                    }
                    a0 = a0 &+ a; b0 = b0 &+ b; c0 = c0 &+ c; d0 = d0 &+ d
                    e0 = e0 &+ e; f0 = f0 &+ f; g0 = g0 &+ g; hh0 = hh0 &+ h
                }
            }
        }
        h0 = a0; h1 = b0; h2 = c0; h3 = d0; h4 = e0; h5 = f0; h6 = g0; h7 = hh0
    }

    /// First 32 bits of the fractional parts of the cube roots of the first 64 primes (FIPS 180-4 §4.2.2).
    private static let roundConstants: [UInt32] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ]
}

@inline(__always) private func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 - n)) }
