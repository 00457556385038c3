/// The framing MD5 and SHA-256 share (the Merkle–Damgård construction): the message is cut into
/// 64-byte blocks for the hash's compression function, an incomplete block is carried between
/// `update` calls, and the end is padded with 0x80, zeros and the 64-bit bit length.
///
/// The two hashes differ only in their compression function and in the byte order of that
/// length (MD5 little-endian, RFC 1321 §3.2; SHA-256 big-endian, FIPS 180-4 §5.1.1).
struct BlockFraming: Sendable {
    /// Bytes of an incomplete block (always < 64 of them used).
    private var pending = [UInt8](repeating: 0, count: 64)
    private var pendingCount = 0
    private var totalBytes: UInt64 = 0

    /// A value to park in a hasher while its framing is moved out (see `SHA256.update`).
    static let placeholder = BlockFraming()

    /// Feeds `bytes`, handing `compress` every completed block run: whole blocks are passed
    /// straight from the caller's buffer (no copy); only a split block goes through `pending`.
    mutating func feed(_ bytes: UnsafeRawBufferPointer, compress: (_ blocks: UnsafeRawPointer, _ count: Int) -> Void) {
        guard bytes.count > 0, let base = bytes.baseAddress else { return }
        totalBytes &+= UInt64(bytes.count)
        var offset = 0
        if pendingCount > 0 {
            let take = min(64 - pendingCount, bytes.count)
            pending.withUnsafeMutableBytes { p in
                (p.baseAddress! + pendingCount).copyMemory(from: base, byteCount: take)
            }
            pendingCount += take
            offset = take
            guard pendingCount == 64 else { return }
            pending.withUnsafeBytes { compress($0.baseAddress!, 1) }
            pendingCount = 0
        }
        let whole = (bytes.count - offset) / 64
        if whole > 0 {
            compress(base + offset, whole)
            offset += whole * 64
        }
        let rest = bytes.count - offset
        if rest > 0 {
            pending.withUnsafeMutableBytes { p in p.baseAddress!.copyMemory(from: base + offset, byteCount: rest) }
            pendingCount = rest
        }
    }

    /// The padding that completes the message: feed it, and the last block has been compressed.
    func padding(lengthBigEndian: Bool) -> [UInt8] {
        let bitLength = totalBytes &* 8
        var tail: [UInt8] = [0x80]
        tail += [UInt8](repeating: 0, count: (64 + 56 - (pendingCount + 1) % 64) % 64)
        for byte in 0..<8 {
            let shift = lengthBigEndian ? 56 - 8 * byte : 8 * byte
            tail.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift)))
        }
        return tail
    }
}
