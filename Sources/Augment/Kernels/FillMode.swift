/// What a warp reads where the sampling map leaves the image (Keras's `fill_mode`).
///
/// For an image row `a b c d`:
/// * `constant`: `k k k k | a b c d | k k k k` with `k = cval`
/// * `nearest`:  `a a a a | a b c d | d d d d` (Keras's default)
/// * `reflect`:  `d c b a | a b c d | d c b a` (half-sample symmetric, SciPy's `reflect`)
/// * `wrap`:     `a b c d | a b c d | a b c d`
public enum FillMode: String, Codable, Sendable, CaseIterable {
    case constant, nearest, reflect, wrap

    /// The in-range index that `index` reads from, or -1 for `constant` outside `0..<size`.
    @inline(__always)
    public func sourceIndex(_ index: Int, size: Int) -> Int {
        if UInt(bitPattern: index) < UInt(size) { return index }
        switch self {
        case .constant: return -1
        case .nearest: return index < 0 ? 0 : size - 1
        case .reflect:
            let period = 2 * size
            var m = index % period
            if m < 0 { m += period }
            return m < size ? m : period - 1 - m
        case .wrap:
            var m = index % size
            if m < 0 { m += size }
            return m
        }
    }
}

/// How a warp reads between pixel centres.
public enum Interpolation: String, Codable, Sendable, CaseIterable {
    /// The closest source pixel: exact values, blocky under rotation.
    case nearest
    /// The four closest pixels weighted by distance (Keras's default, `interpolation_order=1`).
    case bilinear
}
