import DataPrep

/// Zooms about the centre by factors drawn independently for x and y from `lower...upper`
/// (Keras's `zoom_range`: a float `z` means `[1-z, 1+z]`).
///
/// As in Keras the factor scales the *sampling* grid: `zx = 1.2` reads a region 1.2 times as
/// wide, so the content looks smaller; `zx = 0.8` enlarges it. `1...1` is the identity.
public struct Zoom: GeometricAugmentation {
    public static let name = "zoom"
    public static let fields = ["lower", "upper"]
    /// Smallest factor, > 0.
    public var lower: Double
    /// Largest factor, >= lower, <= 10.
    public var upper: Double

    public init(lower: Double, upper: Double) { self.lower = lower; self.upper = upper }

    /// Keras's float form: `[1 - range, 1 + range]`.
    public init(range: Double) { self.init(lower: 1 - range, upper: 1 + range) }

    public func validate(at path: String) throws(AugmentError) {
        try Check.range(lower, 0.01...10, at: path + ".lower")
        try Check.range(upper, 0.01...10, at: path + ".upper")
        try Check.ordered(lower, upper, at: path)
    }

    /// The sampled factors.
    public struct Factors: Equatable, Sendable {
        public var x: Double, y: Double
        public init(x: Double, y: Double) { self.x = x; self.y = y }
    }

    /// Two draws (x then y).
    public func sampleParameters(for shape: ImageShape, using generator: inout SeededGenerator) -> Factors {
        let x = generator.nextDouble(in: lower, upper)
        return Factors(x: x, y: generator.nextDouble(in: lower, upper))
    }

    public func samplingMap(_ factors: Factors, for shape: ImageShape) -> AffineMatrix {
        factors.x == 1 && factors.y == 1 ? .identity : AffineMatrix.scale(x: factors.x, y: factors.y).aboutCenter(of: shape)
    }

    public func record(_ factors: Factors) -> AppliedOp {
        AppliedOp(op: Self.name, values: ["x": factors.x, "y": factors.y],
                  caption: "zoom " + short(factors.x) + "," + short(factors.y))
    }
}
