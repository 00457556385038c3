import DataPrep

/// One augmentation operation: a value type that first *samples* its parameters from a
/// generator, then *applies* them with a pure kernel (torchvision v2 / albumentations style),
/// so kernels are testable without randomness and applied parameters can be recorded.
///
/// Operations keep the image's shape. The pipeline owns how they are applied: geometric ones
/// (`GeometricAugmentation`) only produce a sampling map, and consecutive maps are multiplied
/// into one warp; pixel ones (`PixelAugmentation`) rewrite pixels in place.
public protocol Augmentation: Codable, Equatable, Sendable {
    associatedtype Parameters: Equatable, Sendable
    /// The operation's name in pipeline JSON (`"op": "rotation"`).
    static var name: String { get }
    /// The JSON fields the operation reads (anything else is rejected as a likely typo).
    static var fields: [String] { get }
    /// Throws `AugmentError.badValue` naming `path.field` when a setting is out of range.
    func validate(at path: String) throws(AugmentError)
    /// Draws the parameters for one image. The number of draws may depend only on the
    /// operation's settings and the draws themselves, never on pixels.
    func sampleParameters(for shape: ImageShape, using generator: inout SeededGenerator) -> Parameters
    /// The parameters as a record for preview captions and JSON sidecars.
    func record(_ parameters: Parameters) -> AppliedOp
}

/// An operation that moves pixels: it yields the map from output to input coordinates.
public protocol GeometricAugmentation: Augmentation {
    /// The sampling map (output pixel centre -> input position; pixel centres are integers,
    /// y grows downwards) that realises `parameters` on images of `shape`.
    func samplingMap(_ parameters: Parameters, for shape: ImageShape) -> AffineMatrix
}

/// An operation that rewrites pixel values in place.
public protocol PixelAugmentation: Augmentation {
    func apply(_ parameters: Parameters, to image: PixelView)
}

/// What one operation did to one image: its name, its sampled numbers, a short caption.
public struct AppliedOp: Codable, Equatable, Sendable {
    /// The operation's JSON name.
    public var op: String
    /// The sampled parameters by name (flags as 0/1).
    public var values: [String: Double]
    /// A few characters for a preview tile, empty when the operation left the image unchanged.
    public var caption: String

    public init(op: String, values: [String: Double], caption: String) {
        self.op = op; self.values = values; self.caption = caption
    }
}

extension AffineMatrix {
    /// `self` acting about the centre of an image of `shape` (pixel centres at integers, so the
    /// centre is `((w-1)/2, (h-1)/2)` and a 180° turn maps pixel (0,0) onto (w-1,h-1) exactly).
    func aboutCenter(of shape: ImageShape) -> AffineMatrix {
        about(x: Double(shape.width - 1) / 2, y: Double(shape.height - 1) / 2)
    }
}

/// Number formatting for captions: at most `digits` decimals, no trailing zeros.
func short(_ value: Double, digits: Int = 2) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let rounded = (value * scale).rounded() / scale
    if rounded == rounded.rounded() { return String(Int(rounded)) }
    var text = String(rounded)
    while text.hasSuffix("0") { text.removeLast() }
    return text
}
