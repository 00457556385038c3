import Foundation
import DataPrep

/// A rectangle in pixels (top-left corner and size).
public struct PixelRect: Equatable, Sendable, Codable {
    public var x: Int, y: Int, width: Int, height: Int
    public init(x: Int, y: Int, width: Int, height: Int) { self.x = x; self.y = y; self.width = width; self.height = height }
}

/// Cutout (DeVries & Taylor 2017) as albumentations' `CoarseDropout`: with probability
/// `probability`, `holes` rectangles of `size` are set to `value`. Each hole lies wholly inside
/// the image, its corner uniform in `0...(W - w)` x `0...(H - h)` (both ends included).
public struct Cutout: PixelAugmentation {
    public static let name = "cutout"
    public static let fields = ["holes", "size", "value", "probability"]
    /// The most holes one image can get.
    public static let maxHoles = 8
    /// Holes per image, 1...8.
    public var holes: Int
    /// Side of a hole: a fraction < 1 of the image's width and height, or pixels >= 1.
    public var size: Double
    /// The byte holes are filled with.
    public var value: UInt8
    /// 0...1, default 1.
    public var probability: Double

    public init(holes: Int = 1, size: Double, value: UInt8 = 0, probability: Double = 1) {
        self.holes = holes; self.size = size; self.value = value; self.probability = probability
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        holes = try c.decodeIfPresent(Int.self, forKey: .holes) ?? 1
        size = try c.decode(Double.self, forKey: .size)
        value = try c.decodeIfPresent(UInt8.self, forKey: .value) ?? 0
        probability = try c.decodeIfPresent(Double.self, forKey: .probability) ?? 1
    }

    public func validate(at path: String) throws(AugmentError) {
        try Check.range(Double(holes), 1...Double(Self.maxHoles), at: path + ".holes")
        // The upper bound (as Shift's) keeps `Int(size)` representable; a hole is clipped to the image anyway.
        guard size > 0, size <= 100_000 else {
            throw .badValue(at: path + ".size", expected: "a fraction in (0, 1) or pixels 1...100000", found: "\(size)")
        }
        try Check.probability(probability, at: path + ".probability")
    }

    /// Where the holes went (no allocation: at most `maxHoles` corners in two vectors).
    public struct Holes: Equatable, Sendable {
        public var count: Int
        public var width: Int, height: Int
        public var x: SIMD8<Int32>, y: SIMD8<Int32>
        public func rect(_ i: Int) -> PixelRect { PixelRect(x: Int(x[i]), y: Int(y[i]), width: width, height: height) }
    }

    /// The hole's side in pixels for an image side: never more than the side (compared as a
    /// `Double` first, so an unvalidated huge size cannot trap in the conversion).
    func holeSize(_ side: Int) -> Int {
        if size < 1 { return min(side, max(1, Int((size * Double(side)).rounded()))) }
        return size >= Double(side) ? side : Int(size)
    }

    /// One draw for the probability, then per hole y and x.
    public func sampleParameters(for shape: ImageShape, using generator: inout SeededGenerator) -> Holes {
        let hw = holeSize(shape.width), hh = holeSize(shape.height)
        var result = Holes(count: 0, width: hw, height: hh, x: .zero, y: .zero)
        guard generator.nextBool(probability: probability) else { return result }
        for i in 0..<holes {
            result.y[i] = Int32(generator.nextInt(in: 0...(shape.height - hh)))
            result.x[i] = Int32(generator.nextInt(in: 0...(shape.width - hw)))
        }
        result.count = holes
        return result
    }

    public func apply(_ holes: Holes, to image: PixelView) {
        for i in 0..<holes.count {
            let r = holes.rect(i)
            PixelKernels.fillRect(image, x: r.x, y: r.y, width: r.width, height: r.height, value: value)
        }
    }

    public func record(_ holes: Holes) -> AppliedOp {
        var values: [String: Double] = ["holes": Double(holes.count), "width": Double(holes.width), "height": Double(holes.height)]
        for i in 0..<holes.count { values["x\(i)"] = Double(holes.x[i]); values["y\(i)"] = Double(holes.y[i]) }
        let caption = holes.count == 0 ? "" : holes.count == 1 ? "cut \(holes.x[0]),\(holes.y[0])" : "cut x\(holes.count)"
        return AppliedOp(op: Self.name, values: values, caption: caption)
    }
}

/// torchvision's `RandomErasing`: with probability `probability`, one rectangle covering a
/// fraction `scale` of the area with aspect ratio (h/w) log-uniform in `ratio` is set to
/// `value`; up to 10 attempts to fit, otherwise nothing is erased.
public struct RandomErasing: PixelAugmentation {
    public static let name = "randomErasing"
    public static let fields = ["probability", "scale", "ratio", "value"]
    /// 0...1, default 0.5.
    public var probability: Double
    /// Area fraction range, default `[0.02, 0.33]`.
    public var scale: [Double]
    /// Aspect ratio range, default `[0.3, 3.3]`.
    public var ratio: [Double]
    /// The byte the rectangle is filled with.
    public var value: UInt8

    public init(probability: Double = 0.5, scale: ClosedRange<Double> = 0.02...0.33, ratio: ClosedRange<Double> = 0.3...3.3,
                value: UInt8 = 0) {
        self.probability = probability; self.scale = [scale.lowerBound, scale.upperBound]
        self.ratio = [ratio.lowerBound, ratio.upperBound]; self.value = value
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        probability = try c.decodeIfPresent(Double.self, forKey: .probability) ?? 0.5
        scale = try c.decodeIfPresent([Double].self, forKey: .scale) ?? [0.02, 0.33]
        ratio = try c.decodeIfPresent([Double].self, forKey: .ratio) ?? [0.3, 3.3]
        value = try c.decodeIfPresent(UInt8.self, forKey: .value) ?? 0
    }

    public func validate(at path: String) throws(AugmentError) {
        try Check.probability(probability, at: path + ".probability")
        guard scale.count == 2 else { throw .badValue(at: path + ".scale", expected: "[lower, upper]", found: "\(scale)") }
        guard ratio.count == 2 else { throw .badValue(at: path + ".ratio", expected: "[lower, upper]", found: "\(ratio)") }
        try Check.range(scale[0], 0...1, at: path + ".scale[0]")
        try Check.range(scale[1], 0...1, at: path + ".scale[1]")
        try Check.ordered(scale[0], scale[1], at: path + ".scale")
        try Check.range(ratio[0], 0.01...100, at: path + ".ratio[0]")
        try Check.range(ratio[1], 0.01...100, at: path + ".ratio[1]")
        try Check.ordered(ratio[0], ratio[1], at: path + ".ratio")
    }

    /// One draw for the probability; per attempt area and log-ratio, then y and x when it fits.
    public func sampleParameters(for shape: ImageShape, using generator: inout SeededGenerator) -> PixelRect? {
        guard generator.nextBool(probability: probability) else { return nil }
        let area = Double(shape.width * shape.height)
        for _ in 0..<10 {
            let target = area * generator.nextDouble(in: scale[0], scale[1])
            let aspect = exp(generator.nextDouble(in: log(ratio[0]), log(ratio[1])))
            let h = Int((target * aspect).squareRoot().rounded()), w = Int((target / aspect).squareRoot().rounded())
            if w > 0 && w < shape.width && h > 0 && h < shape.height {
                let y = generator.nextInt(in: 0...(shape.height - h))
                return PixelRect(x: generator.nextInt(in: 0...(shape.width - w)), y: y, width: w, height: h)
            }
        }
        return nil
    }

    public func apply(_ rect: PixelRect?, to image: PixelView) {
        guard let r = rect else { return }
        PixelKernels.fillRect(image, x: r.x, y: r.y, width: r.width, height: r.height, value: value)
    }

    public func record(_ rect: PixelRect?) -> AppliedOp {
        guard let r = rect else { return AppliedOp(op: Self.name, values: ["applied": 0], caption: "") }
        return AppliedOp(op: Self.name, values: ["applied": 1, "x": Double(r.x), "y": Double(r.y),
                                                 "width": Double(r.width), "height": Double(r.height)],
                         caption: "erase \(r.x),\(r.y)")
    }
}
