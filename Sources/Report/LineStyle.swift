/// How a line is stroked: solid or one of matplotlib's dash patterns (`--`, `:`, `-.`), for
/// telling apart overlaid series that share a colour family.
public enum LineStyle: Sendable, CaseIterable {
    case solid, dashed, dotted, dashDot

    /// Alternating on/off lengths in pixels along the line; empty for solid. matplotlib's
    /// patterns in line widths (`lines.dashed_pattern` 3.7/1.6, `dotted_pattern` 1/1.65,
    /// `dashdot_pattern` 6.4/1.6/1/1.6) times our 2 px pen, rounded.
    public var pattern: [Int] {
        switch self {
        case .solid: []
        case .dashed: [7, 3]
        case .dotted: [2, 3]
        case .dashDot: [13, 3, 2, 3]
        }
    }

    /// The pattern as cairo's and SVG's dash array.
    public var dash: [Double] { pattern.map(Double.init) }

    /// Whether the pen is down `step` pixels along a line in this style.
    func inks(_ step: Int) -> Bool {
        let p = pattern
        guard !p.isEmpty else { return true }
        var t = step % p.reduce(0, +)
        for (i, run) in p.enumerated() {
            if t < run { return i % 2 == 0 }
            t -= run
        }
        return true
    }
}
