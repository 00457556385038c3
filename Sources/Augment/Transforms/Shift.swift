import DataPrep

/// Translates the content by a random offset (Keras's `width_shift_range` /
/// `height_shift_range`). Each range follows Keras: a value `r < 1` is a fraction of the image
/// size (offset uniform in `-r*size...r*size`, not rounded); a value `r >= 1` is a number of
/// pixels (offset a uniform *integer* in `-n...n`, `n = floor(r)`, both ends included; Keras
/// draws `0..<n` with a random sign, which counts 0 twice). Positive offsets move the content
/// right / down.
public struct Shift: GeometricAugmentation {
    public static let name = "shift"
    public static let fields = ["width", "height"]
    /// Horizontal range: fraction < 1 of the width, or pixels >= 1; 0 = no horizontal shift.
    public var width: Double
    /// Vertical range: fraction < 1 of the height, or pixels >= 1; 0 = no vertical shift.
    public var height: Double

    public init(width: Double, height: Double) { self.width = width; self.height = height }

    public func validate(at path: String) throws(AugmentError) {
        try Check.range(width, 0...100_000, at: path + ".width")
        try Check.range(height, 0...100_000, at: path + ".height")
    }

    /// Two draws (x then y), offsets in pixels.
    public func sampleParameters(for shape: ImageShape, using generator: inout SeededGenerator) -> Offset {
        let dx = Self.offset(width, size: shape.width, &generator)
        return Offset(dx: dx, dy: Self.offset(height, size: shape.height, &generator))
    }

    static func offset(_ range: Double, size: Int, _ generator: inout SeededGenerator) -> Double {
        if range < 1 { return generator.nextDouble(in: -range, range) * Double(size) }
        let n = Int(range)
        return Double(generator.nextInt(in: -n...n))
    }

    public func samplingMap(_ offset: Offset, for shape: ImageShape) -> AffineMatrix {
        .translation(x: -offset.dx, y: -offset.dy)
    }

    public func record(_ offset: Offset) -> AppliedOp {
        AppliedOp(op: Self.name, values: ["dx": offset.dx, "dy": offset.dy],
                  caption: "shift " + short(offset.dx, digits: 1) + "," + short(offset.dy, digits: 1))
    }
}

extension Shift {
    /// The sampled offset in pixels.
    public struct Offset: Equatable, Sendable {
        public var dx: Double, dy: Double
        public init(dx: Double, dy: Double) { self.dx = dx; self.dy = dy }
    }
}
