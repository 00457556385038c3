/// Big-endian and little-endian integer reads from byte arrays, for header parsing.
///
/// Callers check bounds before reading (decoders validate the whole header length first);
/// these only assemble bytes.
extension Array where Element == UInt8 {
    @inlinable
    public func bigEndianUInt32(at offset: Int) -> UInt32 {
        UInt32(self[offset]) << 24 | UInt32(self[offset + 1]) << 16 | UInt32(self[offset + 2]) << 8 | UInt32(self[offset + 3])
    }

    @inlinable
    public func littleEndianUInt32(at offset: Int) -> UInt32 {
        UInt32(self[offset]) | UInt32(self[offset + 1]) << 8 | UInt32(self[offset + 2]) << 16 | UInt32(self[offset + 3]) << 24
    }

    @inlinable
    public func littleEndianUInt16(at offset: Int) -> UInt16 {
        UInt16(self[offset]) | UInt16(self[offset + 1]) << 8
    }

    /// The first `count` bytes as hex (`"1f 8b 08"`), for error messages.
    public func hexPrefix(_ count: Int = 4) -> String {
        prefix(count).map { byte in
            let s = String(byte, radix: 16)
            return s.count == 1 ? "0" + s : s
        }.joined(separator: " ")
    }
}
