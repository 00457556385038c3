/// Text sizes of the charts, in pixels per em of DejaVu Sans: matplotlib's defaults (title 12 pt,
/// axis labels and ticks 10 pt, legend 10 pt) at the 75-90 dpi our 480 x 360 panels correspond
/// to, rounded up a little so they read well on screen.
public enum ChartText {
    public static let title = 15.0
    public static let label = 13.0
    public static let tick = 12.0
    public static let legend = 12.0
    /// Captions under panels and tiles (occlusion, activations).
    public static let caption = 12.0

    /// Whole pixels `text` spans at `size` (its advance width, rounded up).
    public static func width(_ text: String, size: Double, bold: Bool = false) -> Int {
        Int(Typeface.width(text, size: size, bold: bold).rounded(.up))
    }

    /// Whole pixels one line of text at `size` takes (ascender to descender, rounded up).
    public static func lineHeight(_ size: Double) -> Int { Int(Typeface.lineHeight(size).rounded(.up)) }
}

extension Drawing {
    /// A line of text whose line box (ascender to descender) starts at `top`.
    mutating func line(_ string: String, x: Double, top: Double, size: Double, _ color: Color = .ink,
                       anchor: Anchor = .start, bold: Bool = false) {
        text(string, x: x, y: top + Typeface.ascent * size, size: size, color, anchor: anchor, alignment: .baseline, bold: bold)
    }
}
