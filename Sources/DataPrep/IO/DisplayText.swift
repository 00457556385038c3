/// Text from the outside world (file names, archive members) made safe to print on one line.
///
/// A file name may hold a newline (which forges an extra report line), bidirectional controls
/// (U+202E makes `gpj.exe` display as `exe.jpg`), other control characters (terminal escape
/// sequences) or bytes that are not UTF-8. Reports escape them instead of printing them raw:
/// `\n`, `\r`, `\t`, `\u{202E}`, and `\xNN` for undecodable bytes. JSON output keeps the
/// original text (JSON escapes control characters itself).
public enum DisplayText {
    /// `text` with control, bidi-control and other invisible formatting characters escaped.
    public static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where needsEscape(scalar): out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Raw name bytes: valid UTF-8 runs as text (escaped like `escaped`), other bytes as `\xNN`.
    public static func escapedBytes(_ bytes: [UInt8]) -> String {
        var out = ""
        var i = 0
        while i < bytes.count {
            // The longest valid UTF-8 prefix of what is left (at most 4 bytes per scalar).
            var decoded: String?
            var length = 0
            for n in (1...min(4, bytes.count - i)).reversed() {
                if let s = String(validating: bytes[i..<(i + n)], as: UTF8.self), s.unicodeScalars.count == 1 {
                    decoded = s; length = n; break
                }
            }
            if let decoded {
                out += escaped(decoded)
                i += length
            } else {
                out += "\\x" + (bytes[i] < 16 ? "0" : "") + String(bytes[i], radix: 16, uppercase: true)
                i += 1
            }
        }
        return out
    }

    /// C0/C1 controls, DEL, and the bidirectional formatting characters (Unicode TR9:
    /// LRM, RLM, ALM, LRE…RLO, LRI…PDI).
    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }
}
