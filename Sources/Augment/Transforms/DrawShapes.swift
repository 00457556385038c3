import DataPrep

/// An operation whose one draw is a factor uniform in `lower...upper` (brightness, contrast):
/// the validation and the draw are the same for all of them, only the kernel differs.
public protocol UniformFactorAugmentation: Augmentation where Parameters == Double {
    /// Smallest factor, 0...10.
    var lower: Double { get }
    /// Largest factor, lower...10.
    var upper: Double { get }
}

extension UniformFactorAugmentation {
    public func validate(at path: String) throws(AugmentError) {
        try Check.range(lower, 0...10, at: path + ".lower")
        try Check.range(upper, 0...10, at: path + ".upper")
        try Check.ordered(lower, upper, at: path)
    }

    /// One draw: the factor.
    public func sampleParameters(for shape: ImageShape, using generator: inout SeededGenerator) -> Double {
        generator.nextDouble(in: lower, upper)
    }
}

/// An operation that happens or not, with `probability` (flips, random grayscale): one draw.
public protocol CoinFlipAugmentation: Augmentation where Parameters == Bool {
    /// 0...1.
    var probability: Double { get }
}

extension CoinFlipAugmentation {
    public func validate(at path: String) throws(AugmentError) { try Check.probability(probability, at: path + ".probability") }

    /// Always exactly one draw, so later operations see the same stream either way.
    public func sampleParameters(for shape: ImageShape, using generator: inout SeededGenerator) -> Bool {
        generator.nextBool(probability: probability)
    }
}
