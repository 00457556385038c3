/// An 8-bit sRGB colour.
public struct Color: Equatable, Hashable, Sendable {
    public var r: UInt8, g: UInt8, b: UInt8

    public init(_ r: UInt8, _ g: UInt8, _ b: UInt8) { self.r = r; self.g = g; self.b = b }

    public static let white = Color(255, 255, 255)
    public static let black = Color(0, 0, 0)
    /// Axis text and frames: near-black reads softer than pure black on white.
    public static let ink = Color(34, 34, 34)
    public static let grid = Color(225, 225, 225)
    /// The first two colours of matplotlib's default cycle (tab:blue, tab:orange), so curves
    /// look the way users' notebooks drew them: training blue, validation orange.
    public static let blue = Color(31, 119, 180)
    public static let orange = Color(255, 127, 14)

    /// Straight interpolation from `self` (t = 0) to `other` (t = 1); t is clamped to [0, 1].
    public func mixed(with other: Color, _ t: Double) -> Color {
        let t = min(max(t, 0), 1)
        func mix(_ a: UInt8, _ b: UInt8) -> UInt8 { UInt8((Double(a) + (Double(b) - Double(a)) * t).rounded()) }
        return Color(mix(r, other.r), mix(g, other.g), mix(b, other.b))
    }

    /// Relative luminance (Rec. 709 weights, on gamma-encoded values: enough to pick a
    /// readable text colour).
    public var luminance: Double { (0.2126 * Double(r) + 0.7152 * Double(g) + 0.0722 * Double(b)) / 255 }

    /// Text colour that reads on `self`: white on dark cells, ink on light ones.
    public var contrastingText: Color { luminance < 0.5 ? .white : .ink }
}

/// matplotlib's sequential `Blues` colour map (its 9 ColorBrewer stops), for heat maps:
/// 0 is near-white, 1 dark blue, monotone in lightness so shades order as values do.
public enum Blues {
    static let stops: [Color] = [
        Color(247, 251, 255), Color(222, 235, 247), Color(198, 219, 239), Color(158, 202, 225), Color(107, 174, 214),
        Color(66, 146, 198), Color(33, 113, 181), Color(8, 81, 156), Color(8, 48, 107),
    ]

    /// The colour of `value` in [0, 1] (clamped).
    public static func color(_ value: Double) -> Color {
        let v = min(max(value.isNaN ? 0 : value, 0), 1) * Double(stops.count - 1)
        let i = min(Int(v), stops.count - 2)
        return stops[i].mixed(with: stops[i + 1], v - Double(i))
    }
}
