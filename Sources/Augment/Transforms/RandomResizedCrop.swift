import Foundation
import DataPrep

/// torchvision's `RandomResizedCrop` at the input's own size: a window covering a random
/// fraction `scale` of the area with a random aspect ratio `ratio` (log-uniform), resized back
/// to the full image. The window is drawn as torchvision draws it: up to 10 attempts, then the
/// largest centred window whose ratio is clamped into `ratio`.
///
/// Being a scale-and-translate map, it joins the pipeline's single warp.
public struct RandomResizedCrop: GeometricAugmentation {
    public static let name = "randomResizedCrop"
    public static let fields = ["scale", "ratio"]
    /// Area fraction range, `0 < lower <= upper <= 1`; torchvision's default `[0.08, 1]`.
    public var scale: [Double]
    /// Width/height ratio range, `0 < lower <= upper`; default `[3/4, 4/3]`.
    public var ratio: [Double]

    public init(scale: ClosedRange<Double> = 0.08...1, ratio: ClosedRange<Double> = (3.0 / 4)...(4.0 / 3)) {
        self.scale = [scale.lowerBound, scale.upperBound]
        self.ratio = [ratio.lowerBound, ratio.upperBound]
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        scale = try c.decodeIfPresent([Double].self, forKey: .scale) ?? [0.08, 1]
        ratio = try c.decodeIfPresent([Double].self, forKey: .ratio) ?? [3.0 / 4, 4.0 / 3]
    }

    public func validate(at path: String) throws(AugmentError) {
        guard scale.count == 2 else { throw .badValue(at: path + ".scale", expected: "[lower, upper]", found: "\(scale)") }
        guard ratio.count == 2 else { throw .badValue(at: path + ".ratio", expected: "[lower, upper]", found: "\(ratio)") }
        try Check.range(scale[0], 0.0001...1, at: path + ".scale[0]")
        try Check.range(scale[1], 0.0001...1, at: path + ".scale[1]")
        try Check.ordered(scale[0], scale[1], at: path + ".scale")
        try Check.range(ratio[0], 0.01...100, at: path + ".ratio[0]")
        try Check.range(ratio[1], 0.01...100, at: path + ".ratio[1]")
        try Check.ordered(ratio[0], ratio[1], at: path + ".ratio")
    }

    /// The window in input pixels: top-left corner and size.
    public struct Window: Equatable, Sendable {
        public var x: Int, y: Int, width: Int, height: Int
        public init(x: Int, y: Int, width: Int, height: Int) { self.x = x; self.y = y; self.width = width; self.height = height }
    }

    /// Per attempt: area, log-ratio, then (if the window fits) y and x; corners are uniform in
    /// `0...(size - window)` inclusive, as torchvision's `randint(0, H - h + 1)`.
    public func sampleParameters(for shape: ImageShape, using generator: inout SeededGenerator) -> Window {
        let w = shape.width, h = shape.height, area = Double(w * h)
        let logLow = log(ratio[0]), logHigh = log(ratio[1])
        for _ in 0..<10 {
            let target = area * generator.nextDouble(in: scale[0], scale[1])
            let aspect = exp(generator.nextDouble(in: logLow, logHigh))
            let cw = Int((target * aspect).squareRoot().rounded()), ch = Int((target / aspect).squareRoot().rounded())
            if cw > 0 && cw <= w && ch > 0 && ch <= h {
                let y = generator.nextInt(in: 0...(h - ch))
                return Window(x: generator.nextInt(in: 0...(w - cw)), y: y, width: cw, height: ch)
            }
        }
        let inRatio = Double(w) / Double(h)
        var cw = w, ch = h
        if inRatio < ratio[0] { ch = Int((Double(w) / ratio[0]).rounded()) } else if inRatio > ratio[1] { cw = Int((Double(h) * ratio[1]).rounded()) }
        return Window(x: (w - cw) / 2, y: (h - ch) / 2, width: cw, height: ch)
    }

    /// Output pixel centre `x` reads `x0 + (x + 0.5) * cw / W - 0.5` (centres aligned, as in
    /// every resize of this toolkit).
    public func samplingMap(_ window: Window, for shape: ImageShape) -> AffineMatrix {
        let sx = Double(window.width) / Double(shape.width), sy = Double(window.height) / Double(shape.height)
        return AffineMatrix(a: sx, b: 0, tx: Double(window.x) + 0.5 * sx - 0.5,
                            c: 0, d: sy, ty: Double(window.y) + 0.5 * sy - 0.5)
    }

    public func record(_ window: Window) -> AppliedOp {
        AppliedOp(op: Self.name,
                  values: ["x": Double(window.x), "y": Double(window.y), "width": Double(window.width), "height": Double(window.height)],
                  caption: "rrc \(window.x),\(window.y) \(window.width)x\(window.height)")
    }
}
