import DataPrep

/// CIFAR-style augmentation: pad every side by `padding` pixels, then crop a window of the
/// original size at a uniform offset in `0...2*padding` (both ends included) on each axis.
///
/// The pad is the operation's own (`fill`, default zeros as in torchvision's
/// `RandomCrop(32, padding=4)`), not the pipeline's fill mode, so the crop is applied as its own
/// exact integer copy rather than folded into the pipeline's warp.
public struct RandomCrop: Augmentation {
    public static let name = "randomCrop"
    public static let fields = ["padding", "fill", "value"]
    /// Pixels added on each side, 0...1024.
    public var padding: Int
    /// How the pad is filled.
    public var fill: FillMode
    /// The pad's value when `fill` is `constant`.
    public var value: UInt8

    public init(padding: Int, fill: FillMode = .constant, value: UInt8 = 0) {
        self.padding = padding; self.fill = fill; self.value = value
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        padding = try c.decode(Int.self, forKey: .padding)
        fill = try c.decodeIfPresent(FillMode.self, forKey: .fill) ?? .constant
        value = try c.decodeIfPresent(UInt8.self, forKey: .value) ?? 0
    }

    public func validate(at path: String) throws(AugmentError) {
        try Check.range(Double(padding), 0...1024, at: path + ".padding")
    }

    /// The crop window's top-left corner in the padded image.
    public struct Offset: Equatable, Sendable {
        public var x: Int, y: Int
        public init(x: Int, y: Int) { self.x = x; self.y = y }
    }

    /// Two draws (x then y), each uniform in `0...2*padding`.
    public func sampleParameters(for shape: ImageShape, using generator: inout SeededGenerator) -> Offset {
        let x = generator.nextInt(in: 0...(2 * padding))
        return Offset(x: x, y: generator.nextInt(in: 0...(2 * padding)))
    }

    /// Output pixel (x, y) is padded pixel (x + ox, y + oy), i.e. input pixel (x + ox - p, y + oy - p).
    public func samplingMap(_ offset: Offset, for shape: ImageShape) -> AffineMatrix {
        .translation(x: Double(offset.x - padding), y: Double(offset.y - padding))
    }

    public func record(_ offset: Offset) -> AppliedOp {
        AppliedOp(op: Self.name, values: ["x": Double(offset.x), "y": Double(offset.y)],
                  caption: "crop \(offset.x),\(offset.y)")
    }
}
