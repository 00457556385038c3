/// Names what a file that failed a magic check actually is, for error hints.
///
/// The commonest bad "dataset file" is an HTML page (a login wall, a 404, a rate-limit notice)
/// saved under the expected name; saying so saves a user from hex-dumping it.
enum ContentSniffer {
    static func hint(for bytes: [UInt8]) -> String? {
        if looksLikeHTML(bytes) {
            return "it is an HTML page, probably an error or login page saved instead of the file: download it again"
        }
        if bytes.starts(with: [0x50, 0x4b]) { return "it is a ZIP archive" }
        if bytes.starts(with: [0x1f, 0x8b]) { return "it is gzip-compressed" }
        if bytes.starts(with: [0x42, 0x5a, 0x68]) { return "it is bzip2-compressed, which this tool does not read" }
        if bytes.starts(with: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]) { return "it is xz-compressed, which this tool does not read" }
        if bytes.starts(with: [0x28, 0xb5, 0x2f, 0xfd]) { return "it is zstd-compressed, which this tool does not read" }
        if bytes.count >= 262, Array(bytes[257..<262]) == Array("ustar".utf8) { return "it is a tar archive" }
        return nil
    }

    /// Whether the first non-blank bytes open an HTML or XML document (case-insensitive).
    static func looksLikeHTML(_ bytes: [UInt8]) -> Bool {
        var start = 0
        if bytes.starts(with: [0xef, 0xbb, 0xbf]) { start = 3 }  // UTF-8 byte order mark
        while start < bytes.count, [0x20, 0x09, 0x0a, 0x0d].contains(bytes[start]) { start += 1 }
        let head = String(decoding: bytes[start..<min(bytes.count, start + 64)], as: UTF8.self).lowercased()
        return ["<!doctype html", "<html", "<?xml", "<head", "<!--"].contains { head.hasPrefix($0) }
    }
}
