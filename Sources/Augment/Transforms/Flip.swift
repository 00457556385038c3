import DataPrep

/// Mirrors left-right with probability `probability` (Keras's `horizontal_flip=True` is 0.5).
public struct HorizontalFlip: GeometricAugmentation, CoinFlipAugmentation {
    public static let name = "horizontalFlip"
    public static let fields = ["probability"]
    /// 0...1, default 0.5.
    public var probability: Double

    public init(probability: Double = 0.5) { self.probability = probability }

    public init(from decoder: any Decoder) throws {
        probability = try decoder.container(keyedBy: CodingKeys.self).decodeIfPresent(Double.self, forKey: .probability) ?? 0.5
    }

    public func samplingMap(_ flipped: Bool, for shape: ImageShape) -> AffineMatrix {
        flipped ? AffineMatrix(a: -1, b: 0, tx: Double(shape.width - 1), c: 0, d: 1, ty: 0) : .identity
    }

    public func record(_ flipped: Bool) -> AppliedOp {
        AppliedOp(op: Self.name, values: ["flipped": flipped ? 1 : 0], caption: flipped ? "hflip" : "")
    }
}

/// Mirrors top-bottom with probability `probability` (Keras's `vertical_flip=True` is 0.5).
public struct VerticalFlip: GeometricAugmentation, CoinFlipAugmentation {
    public static let name = "verticalFlip"
    public static let fields = ["probability"]
    /// 0...1, default 0.5.
    public var probability: Double

    public init(probability: Double = 0.5) { self.probability = probability }

    public init(from decoder: any Decoder) throws {
        probability = try decoder.container(keyedBy: CodingKeys.self).decodeIfPresent(Double.self, forKey: .probability) ?? 0.5
    }

    public func samplingMap(_ flipped: Bool, for shape: ImageShape) -> AffineMatrix {
        flipped ? AffineMatrix(a: 1, b: 0, tx: 0, c: 0, d: -1, ty: Double(shape.height - 1)) : .identity
    }

    public func record(_ flipped: Bool) -> AppliedOp {
        AppliedOp(op: Self.name, values: ["flipped": flipped ? 1 : 0], caption: flipped ? "vflip" : "")
    }
}
