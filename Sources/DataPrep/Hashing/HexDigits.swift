/// Lowercase hexadecimal text for digests, and parsing it back for comparisons.
enum HexDigits {
    private static let digits = Array("0123456789abcdef".utf8)

    /// `[0xab, 0x01]` → `"ab01"`.
    static func encode(_ bytes: [UInt8]) -> String {
        var text = [UInt8]()
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Whether `text` is exactly `byteCount` bytes of hex (either case).
    static func isValid(_ text: String, byteCount: Int) -> Bool {
        text.utf8.count == byteCount * 2 && text.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x66) }
    }
}
