/// Names what a file really is when its magic is not the one a decoder expected: the one
/// sniffer behind every `wrongMagic` hint (IDX, JPEG, PNG, collections; archives via `ContentSniffer`).
///
/// Datasets scraped from the web hold PNGs saved as `.jpg` and HTML error pages saved as
/// anything; the hint turns "wrong magic" into the actual fix.
enum FileSignature {
    static func hint(for bytes: [UInt8]) -> String? {
        if bytes.starts(with: [0x89, 0x50, 0x4e, 0x47]) { return "this is a PNG" }
        if bytes.starts(with: [0xff, 0xd8, 0xff]) { return "this is a JPEG" }
        if bytes.starts(with: Array("GIF8".utf8)) { return "this is a GIF, which this tool does not read" }
        if bytes.starts(with: Array("BM".utf8)), bytes.count >= 14 { return "this looks like a BMP, which this tool does not read" }
        if bytes.count >= 12, bytes.starts(with: Array("RIFF".utf8)), Array(bytes[8..<12]) == Array("WEBP".utf8) {
            return "this is a WebP, which this tool does not read"
        }
        if bytes.starts(with: [0x49, 0x49, 0x2a, 0x00]) || bytes.starts(with: [0x4d, 0x4d, 0x00, 0x2a]) {
            return "this is a TIFF, which this tool does not read"
        }
        if let other = ContentSniffer.hint(for: bytes) { return other }
        if looksLikeText(bytes) { return "looks like text, not an image" }
        return nil
    }

    /// Whether the first bytes are printable ASCII or common whitespace (a README, a CSV, JSON).
    static func looksLikeText(_ bytes: [UInt8]) -> Bool {
        let head = bytes.prefix(64)
        return !head.isEmpty && head.allSatisfy { ($0 >= 0x20 && $0 < 0x7f) || $0 == 0x09 || $0 == 0x0a || $0 == 0x0d }
    }
}
