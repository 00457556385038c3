/// Member names from raw bytes, losslessly.
///
/// Names are UTF-8 in archives made by current tools. Older ones are in the creator's 8-bit
/// code page: ISO-8859-1 is the usual guess for tar, CP437 is the zip specification's default.
/// Decoding those as UTF-8 would turn every non-ASCII byte into U+FFFD, and two different
/// names could then collide; a byte-to-character mapping keeps them distinct.
enum ArchiveText {
    enum Fallback { case latin1, cp437 }

    static func decode(_ bytes: [UInt8], fallback: Fallback) -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        var scalars = String.UnicodeScalarView()
        for byte in bytes {
            if byte < 0x80 || fallback == .latin1 {
                scalars.append(Unicode.Scalar(byte))
            } else {
                scalars.append(cp437High[Int(byte - 0x80)])
            }
        }
        return String(scalars)
    }

    /// CP437 code points 0x80...0xFF.
    private static let cp437High: [Unicode.Scalar] = Array(
        "ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u{00A0}"
            .unicodeScalars)
}
