import DataPrep

/// A 3x5-pixel font for preview captions and chart text: digits, letters (drawn as capitals)
/// and the punctuation captions, run names and model specs use (`= , . - _ : ; / ( ) [ ] { }`
/// `% * + # ' " < > ! |`). Unknown characters draw as `?`.
public enum BitmapFont {
    public static let glyphWidth = 3, glyphHeight = 5
    /// Pixels from one character to the next, and from one line to the next (unscaled).
    public static let advance = 4, lineHeight = 6

    /// Row-major 3x5 bitmaps, `X` = ink.
    static let glyphs: [Character: [Bool]] = {
        let table: [(Character, String)] = [
            ("0", "XXX X.X X.X X.X XXX"), ("1", ".X. XX. .X. .X. XXX"), ("2", "XXX ..X XXX X.. XXX"),
            ("3", "XXX ..X XXX ..X XXX"), ("4", "X.X X.X XXX ..X ..X"), ("5", "XXX X.. XXX ..X XXX"),
            ("6", "XXX X.. XXX X.X XXX"), ("7", "XXX ..X ..X .X. .X."), ("8", "XXX X.X XXX X.X XXX"),
            ("9", "XXX X.X XXX ..X XXX"), ("A", ".X. X.X XXX X.X X.X"), ("B", "XX. X.X XX. X.X XX."),
            ("C", ".XX X.. X.. X.. .XX"), ("D", "XX. X.X X.X X.X XX."), ("E", "XXX X.. XX. X.. XXX"),
            ("F", "XXX X.. XX. X.. X.."), ("G", ".XX X.. X.X X.X .XX"), ("H", "X.X X.X XXX X.X X.X"),
            ("I", "XXX .X. .X. .X. XXX"), ("J", "..X ..X ..X X.X .X."), ("K", "X.X X.X XX. X.X X.X"),
            ("L", "X.. X.. X.. X.. XXX"), ("M", "X.X XXX XXX X.X X.X"), ("N", "XX. X.X X.X X.X X.X"),
            ("O", ".X. X.X X.X X.X .X."), ("P", "XX. X.X XX. X.. X.."), ("Q", ".X. X.X X.X XX. .XX"),
            ("R", "XX. X.X XX. X.X X.X"), ("S", ".XX X.. .X. ..X XX."), ("T", "XXX .X. .X. .X. .X."),
            ("U", "X.X X.X X.X X.X XXX"), ("V", "X.X X.X X.X X.X .X."), ("W", "X.X X.X XXX XXX X.X"),
            ("X", "X.X X.X .X. X.X X.X"), ("Y", "X.X X.X .X. .X. .X."), ("Z", "XXX ..X .X. X.. XXX"),
            (".", "... ... ... ... .X."), (",", "... ... ... .X. X.."), ("-", "... ... XXX ... ..."),
            ("+", "... .X. XXX .X. ..."), (":", "... .X. ... .X. ..."), ("#", "X.X XXX X.X XXX X.X"),
            ("/", "..X ..X .X. X.. X.."), ("_", "... ... ... ... XXX"), ("(", ".X. X.. X.. X.. .X."),
            (")", ".X. ..X ..X ..X .X."), ("=", "... XXX ... XXX ..."), ("?", "XXX ..X .X. ... .X."),
            (" ", "... ... ... ... ..."), (";", "... .X. ... .X. X.."), ("%", "X.X ..X .X. X.. X.X"),
            ("[", "XX. X.. X.. X.. XX."), ("]", ".XX ..X ..X ..X .XX"), ("{", ".XX .X. XX. .X. .XX"),
            ("}", "XX. .X. .XX .X. XX."), ("*", "... X.X .X. X.X ..."), ("'", ".X. .X. ... ... ..."),
            ("\"", "X.X X.X ... ... ..."), ("<", "..X .X. X.. .X. ..X"), (">", "X.. .X. ..X .X. X.."),
            ("!", ".X. .X. .X. ... .X."), ("|", ".X. .X. .X. .X. .X."),
        ]
        var glyphs: [Character: [Bool]] = [:]
        for (c, rows) in table { glyphs[c] = rows.filter { $0 != " " }.map { $0 == "X" } }
        return glyphs
    }()

    /// Draws `text` with its top-left corner at (x, y) in `value`, clipped to the canvas.
    public static func draw(_ text: String, x: Int, y: Int, scale: Int, value: UInt8, on canvas: inout Image) {
        var penX = x
        for character in text.uppercased() {
            let glyph = glyphs[character] ?? glyphs["?"]!
            for gy in 0..<glyphHeight {
                for gx in 0..<glyphWidth where glyph[gy * glyphWidth + gx] {
                    for sy in 0..<scale {
                        for sx in 0..<scale {
                            canvas.set(x: penX + gx * scale + sx, y: y + gy * scale + sy, value: value)
                        }
                    }
                }
            }
            penX += advance * scale
        }
    }
}

extension Image {
    /// Sets every channel of pixel (x, y) to `value`; outside the image does nothing.
    mutating func set(x: Int, y: Int, value: UInt8) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        let start = (y * width + x) * channels
        for c in 0..<channels { pixels[start + c] = value }
    }
}
