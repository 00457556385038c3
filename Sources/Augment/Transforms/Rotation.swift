import DataPrep

/// Rotates about the image centre by an angle drawn uniformly from `-degrees...degrees`
/// (Keras's `rotation_range`). Positive angles turn the content counter-clockwise on screen.
public struct Rotation: GeometricAugmentation {
    public static let name = "rotation"
    public static let fields = ["degrees"]
    /// Largest angle either way, 0...180.
    public var degrees: Double

    public init(degrees: Double) { self.degrees = degrees }

    public func validate(at path: String) throws(AugmentError) { try Check.range(degrees, 0...180, at: path + ".degrees") }

    /// One draw: the angle in degrees.
    public func sampleParameters(for shape: ImageShape, using generator: inout SeededGenerator) -> Double {
        generator.nextDouble(in: -degrees, degrees)
    }

    /// The content turns by `angle`, so each output pixel reads the input turned by `-angle`.
    public func samplingMap(_ angle: Double, for shape: ImageShape) -> AffineMatrix {
        angle == 0 ? .identity : AffineMatrix.rotation(degrees: -angle).aboutCenter(of: shape)
    }

    public func record(_ angle: Double) -> AppliedOp {
        AppliedOp(op: Self.name, values: ["degrees": angle], caption: "rot " + short(angle, digits: 1))
    }
}
