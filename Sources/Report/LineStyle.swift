/// How a line is stroked: solid or one of matplotlib's dash patterns (`--`, `:`, `-.`), for
/// telling apart overlaid series that share a colour family.
public enum LineStyle: Sendable, CaseIterable {
    case solid, dashed, dotted, dashDot

    /// Alternating on/off run lengths in pen steps (pixels along the line's longer axis); empty
    /// for solid. matplotlib's patterns in line widths (`lines.dashed_pattern` 3.7/1.6,
    /// `dotted_pattern` 1/1.65, `dashdot_pattern` 6.4/1.6/1/1.6) times our 2 px pen, rounded.
    public var pattern: [Int] {
        switch self {
        case .solid: []
        case .dashed: [7, 3]
        case .dotted: [2, 3]
        case .dashDot: [13, 3, 2, 3]
        }
    }

    /// Whether the pen is down at `step` pixels along a line in this style.
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

extension Canvas {
    /// A straight line in `style` with a square pen `thickness` pixels wide (Bresenham's walk).
    /// `phase` is the pen step the line starts at and is advanced past its end, so the
    /// segments of one polyline continue each other's dashes instead of restarting them.
    public mutating func line(from a: (x: Int, y: Int), to b: (x: Int, y: Int), _ color: Color, thickness: Int = 1,
                              style: LineStyle, phase: inout Int) {
        let dx = abs(b.x - a.x), dy = -abs(b.y - a.y)
        let sx = a.x < b.x ? 1 : -1, sy = a.y < b.y ? 1 : -1
        var error = dx + dy, x = a.x, y = a.y
        let offset = (thickness - 1) / 2
        while true {
            if style.inks(phase) { fill(x: x - offset, y: y - offset, width: thickness, height: thickness, color) }
            if x == b.x && y == b.y { return }
            phase += 1
            let e2 = 2 * error
            if e2 >= dy { error += dy; x += sx }
            if e2 <= dx { error += dx; y += sy }
        }
    }
}
