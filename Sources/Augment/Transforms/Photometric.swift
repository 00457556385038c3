import DataPrep

/// Multiplies every value by a factor drawn uniformly from `lower...upper` (Keras's
/// `brightness_range`, which goes through PIL's `ImageEnhance.Brightness`: `v * f`, clipped).
public struct Brightness: PixelAugmentation, UniformFactorAugmentation {
    public static let name = "brightness"
    public static let fields = ["lower", "upper"]
    /// Smallest factor, >= 0 (1 = unchanged).
    public var lower: Double
    /// Largest factor, >= lower, <= 10.
    public var upper: Double

    public init(lower: Double, upper: Double) { self.lower = lower; self.upper = upper }

    // in/out (H,W,C) u8: v -> clamp(round(v * f)) (alpha included, as PIL)
    public func apply(_ factor: Double, to image: PixelView) {
        PixelKernels.withTable({ $0 * factor }) { PixelKernels.lookup(image, table: $0) }
    }

    /// The byte table `apply` maps through.
    func table(_ factor: Double, into table: UnsafeMutablePointer<UInt8>) {
        PixelKernels.fillTable(table, { $0 * factor })
    }

    public func record(_ factor: Double) -> AppliedOp {
        AppliedOp(op: Self.name, values: ["factor": factor], caption: "bright " + short(factor))
    }
}

/// Scales the distance of every value from the image's mean luma by a factor drawn uniformly
/// from `lower...upper` (torchvision's `adjust_contrast`: `f v + (1 - f) mean`, clipped).
public struct Contrast: PixelAugmentation, UniformFactorAugmentation {
    public static let name = "contrast"
    public static let fields = ["lower", "upper"]
    /// Smallest factor, >= 0 (0 = flat gray, 1 = unchanged).
    public var lower: Double
    /// Largest factor, >= lower, <= 10.
    public var upper: Double

    public init(lower: Double, upper: Double) { self.lower = lower; self.upper = upper }

    public func apply(_ factor: Double, to image: PixelView) {
        let mean = PixelKernels.meanLuma(image)
        PixelKernels.withTable({ factor * $0 + (1 - factor) * mean }) { PixelKernels.lookup(image, table: $0) }
    }

    /// The byte table `apply` maps through for an image of mean luma `mean`.
    func table(_ factor: Double, mean: Double, into table: UnsafeMutablePointer<UInt8>) {
        PixelKernels.fillTable(table, { factor * $0 + (1 - factor) * mean })
    }

    public func record(_ factor: Double) -> AppliedOp {
        AppliedOp(op: Self.name, values: ["factor": factor], caption: "contr " + short(factor))
    }
}

/// Keras's `channel_shift_range`: one offset drawn uniformly from `-intensity...intensity` is
/// added to every channel, and results are clipped to the image's own [min, max] (exactly what
/// `ImageDataGenerator.apply_channel_shift` does), in byte units.
public struct ChannelShift: PixelAugmentation {
    public static let name = "channelShift"
    public static let fields = ["intensity"]
    /// Largest offset either way, 0...255.
    public var intensity: Double

    public init(intensity: Double) { self.intensity = intensity }

    public func validate(at path: String) throws(AugmentError) { try Check.range(intensity, 0...255, at: path + ".intensity") }

    /// One draw: the offset.
    public func sampleParameters(for shape: ImageShape, using generator: inout SeededGenerator) -> Double {
        generator.nextDouble(in: -intensity, intensity)
    }

    public func apply(_ offset: Double, to image: PixelView) {
        let (low, high) = PixelKernels.minMax(image)
        PixelKernels.withTable(low: Int(low), high: Int(high), { $0 + offset }) { PixelKernels.lookup(image, table: $0) }
    }

    public func record(_ offset: Double) -> AppliedOp {
        AppliedOp(op: Self.name, values: ["offset": offset], caption: "chsh " + short(offset, digits: 1))
    }
}

/// Adds zero-mean Gaussian noise of standard deviation `std` (a fraction of 255, like
/// albumentations' `GaussNoise(std_range=(s, s))` and torchvision's `GaussianNoise(sigma=s)`
/// on [0, 1] images), rounded and clipped.
public struct GaussianNoise: PixelAugmentation {
    public static let name = "gaussianNoise"
    public static let fields = ["std"]
    /// Standard deviation as a fraction of 255, 0...1.
    public var std: Double

    public init(std: Double) { self.std = std }

    public func validate(at path: String) throws(AugmentError) { try Check.range(std, 0...1, at: path + ".std") }

    /// One draw: the seed of the per-pixel noise stream (so the noise is a pure function of it).
    public func sampleParameters(for shape: ImageShape, using generator: inout SeededGenerator) -> UInt64 {
        generator.next()
    }

    public func apply(_ seed: UInt64, to image: PixelView) {
        NoiseKernel.apply(image, sigma: Float(std * 255), seed: seed)
    }

    public func record(_ seed: UInt64) -> AppliedOp {
        // The seed is recorded as a Double: only its low 53 bits survive JSON, which is enough
        // to tell tiles apart; the pixels come from the full seed.
        AppliedOp(op: Self.name, values: ["std": std], caption: "noise " + short(std))
    }
}

/// With probability `probability`, replaces RGB by its luma (Pillow's weights) in all three
/// channels, as torchvision's `RandomGrayscale`; gray images are left as they are.
public struct RandomGrayscale: PixelAugmentation, CoinFlipAugmentation {
    public static let name = "randomGrayscale"
    public static let fields = ["probability"]
    /// 0...1, default 0.1 (torchvision's).
    public var probability: Double

    public init(probability: Double = 0.1) { self.probability = probability }

    public init(from decoder: any Decoder) throws {
        probability = try decoder.container(keyedBy: CodingKeys.self).decodeIfPresent(Double.self, forKey: .probability) ?? 0.1
    }

    public func apply(_ gray: Bool, to image: PixelView) {
        if gray { PixelKernels.grayscale(image) }
    }

    public func record(_ gray: Bool) -> AppliedOp {
        AppliedOp(op: Self.name, values: ["applied": gray ? 1 : 0], caption: gray ? "gray" : "")
    }
}
