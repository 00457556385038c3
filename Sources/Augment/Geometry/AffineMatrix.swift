import Foundation

/// A 2-D affine map `(x, y) -> (a*x + b*y + tx, c*x + d*y + ty)` in pixel coordinates.
///
/// Geometric augmentations (rotation, shift, shear, zoom, flips) each produce one of these;
/// a pipeline multiplies them into a single matrix so an image is resampled once, not once per
/// op (each extra warp costs time and blurs).
public struct AffineMatrix: Equatable, Sendable, Codable {
    public var a: Double, b: Double, tx: Double
    public var c: Double, d: Double, ty: Double

    public init(a: Double, b: Double, tx: Double, c: Double, d: Double, ty: Double) {
        self.a = a; self.b = b; self.tx = tx
        self.c = c; self.d = d; self.ty = ty
    }

    public static let identity = AffineMatrix(a: 1, b: 0, tx: 0, c: 0, d: 1, ty: 0)

    public static func translation(x: Double, y: Double) -> AffineMatrix {
        AffineMatrix(a: 1, b: 0, tx: x, c: 0, d: 1, ty: y)
    }

    public static func scale(x: Double, y: Double) -> AffineMatrix {
        AffineMatrix(a: x, b: 0, tx: 0, c: 0, d: y, ty: 0)
    }

    /// Counter-clockwise rotation by `degrees` on screen (y grows downwards), about the origin.
    public static func rotation(degrees: Double) -> AffineMatrix {
        let r = degrees * .pi / 180
        return AffineMatrix(a: cos(r), b: sin(r), tx: 0, c: -sin(r), d: cos(r), ty: 0)
    }

    /// `self` applied after `other`: `(self * other)(p) = self(other(p))`.
    public func concatenating(_ other: AffineMatrix) -> AffineMatrix {
        AffineMatrix(a: a * other.a + b * other.c, b: a * other.b + b * other.d, tx: a * other.tx + b * other.ty + tx,
                     c: c * other.a + d * other.c, d: c * other.b + d * other.d, ty: c * other.tx + d * other.ty + ty)
    }

    /// `self` conjugated to act about `(cx, cy)` instead of the origin.
    public func about(x cx: Double, y cy: Double) -> AffineMatrix {
        AffineMatrix.translation(x: cx, y: cy).concatenating(self).concatenating(.translation(x: -cx, y: -cy))
    }

    /// The inverse map, or nil when the matrix is singular (e.g. zoom 0).
    public var inverted: AffineMatrix? {
        let det = a * d - b * c
        guard det != 0, det.isFinite else { return nil }
        let ia = d / det, ib = -b / det, ic = -c / det, id = a / det
        return AffineMatrix(a: ia, b: ib, tx: -(ia * tx + ib * ty), c: ic, d: id, ty: -(ic * tx + id * ty))
    }

    public func apply(x: Double, y: Double) -> (x: Double, y: Double) {
        (a * x + b * y + tx, c * x + d * y + ty)
    }
}
