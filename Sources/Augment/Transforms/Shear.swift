import Foundation
import DataPrep

/// Shears by an angle drawn uniformly from `-degrees...degrees` (Keras's `shear_range`, which
/// `ImageDataGenerator` documents as "shear angle in counter-clockwise direction in degrees").
///
/// The sampling map is the one Keras's `apply_affine_transform` ends up applying: its matrix
/// `[[1, -sin s], [0, cos s]]` acts on (x = column, y = row) once Keras swaps the axes for
/// `scipy.ndimage.affine_transform`, so about the centre `x_in = x - sin(s) y`, `y_in = cos(s) y`.
/// Vertical edges tilt (a column leans by `sin s` pixels per row) and rows stay horizontal.
/// (albumentations and torchvision use `tan s`; for the ±11.5° of a typical `0.2 rad` setting
/// the two differ by under 2%.)
public struct Shear: GeometricAugmentation {
    public static let name = "shear"
    public static let fields = ["degrees"]
    /// Largest angle either way, 0...80.
    public var degrees: Double

    public init(degrees: Double) { self.degrees = degrees }

    public func validate(at path: String) throws(AugmentError) { try Check.range(degrees, 0...80, at: path + ".degrees") }

    /// One draw: the angle in degrees.
    public func sampleParameters(for shape: ImageShape, using generator: inout SeededGenerator) -> Double {
        generator.nextDouble(in: -degrees, degrees)
    }

    public func samplingMap(_ angle: Double, for shape: ImageShape) -> AffineMatrix {
        if angle == 0 { return .identity }
        let s = angle * .pi / 180
        return AffineMatrix(a: 1, b: -sin(s), tx: 0, c: 0, d: cos(s), ty: 0).aboutCenter(of: shape)
    }

    public func record(_ angle: Double) -> AppliedOp {
        AppliedOp(op: Self.name, values: ["degrees": angle], caption: "shear " + short(angle, digits: 1))
    }
}
