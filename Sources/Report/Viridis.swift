/// matplotlib's `viridis` colour map (its 9 evenly spaced samples, as R's `viridisLite::viridis(9)`
/// lists them), linearly interpolated: perceptually uniform and monotone in lightness, so a
/// heat map reads the same in grayscale print and to colour-blind readers. 0 is dark purple,
/// 1 is yellow.
public enum Viridis {
    static let stops: [Color] = [
        Color(0x44, 0x01, 0x54), Color(0x47, 0x2D, 0x7B), Color(0x3B, 0x52, 0x8B), Color(0x2C, 0x72, 0x8E),
        Color(0x21, 0x90, 0x8C), Color(0x27, 0xAD, 0x81), Color(0x5D, 0xC8, 0x63), Color(0xAA, 0xDC, 0x32),
        Color(0xFD, 0xE7, 0x25),
    ]

    /// The colour of `value` in [0, 1] (clamped; NaN is 0).
    public static func color(_ value: Double) -> Color {
        let v = min(max(value.isNaN ? 0 : value, 0), 1) * Double(stops.count - 1)
        let i = min(Int(v), stops.count - 2)
        return stops[i].mixed(with: stops[i + 1], v - Double(i))
    }
}
