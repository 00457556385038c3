/// Count, mean, sum of squared deviations and exact zeros of a stream of floats, in Double.
///
/// Each added block is reduced with a two-pass mean/deviation sum and blocks are combined with
/// Chan, Golub & LeVeque's pairwise update ("Updating Formulae and a Pairwise Algorithm for
/// Computing Sample Variances", 1979): no `E[x²] − E[x]²` cancellation, so a layer whose outputs
/// sit far from zero with a small spread (e.g. before a BatchNorm) still gets its variance right.
public struct RunningMoments: Sendable, Equatable, Codable {
    public private(set) var count = 0
    public private(set) var mean = 0.0
    /// Σ (x − mean)².
    public private(set) var squaredDeviations = 0.0
    /// Values exactly 0 (ReLU's dead outputs; `-0` counts as zero).
    public private(set) var zeros = 0

    public init() {}

    /// Adds one block of values (e.g. one sample's layer output).
    public mutating func add(_ values: UnsafeBufferPointer<Float>) {
        guard !values.isEmpty else { return }
        var sum = 0.0, zeroCount = 0
        for v in values {
            sum += Double(v)
            if v == 0 { zeroCount += 1 }
        }
        let blockMean = sum / Double(values.count)
        var deviations = 0.0
        for v in values {
            let d = Double(v) - blockMean
            deviations += d * d
        }
        var block = RunningMoments()
        block.count = values.count; block.mean = blockMean; block.squaredDeviations = deviations; block.zeros = zeroCount
        merge(block)
    }

    /// Adds an array of values.
    public mutating func add(_ values: [Float]) { values.withUnsafeBufferPointer { add($0) } }

    /// Combines `other` into `self` (the result of adding both streams).
    public mutating func merge(_ other: RunningMoments) {
        guard other.count > 0 else { return }
        guard count > 0 else { self = other; return }
        let n = Double(count), m = Double(other.count), total = n + m
        let delta = other.mean - mean
        mean += delta * m / total
        squaredDeviations += other.squaredDeviations + delta * delta * n * m / total
        count += other.count
        zeros += other.zeros
    }

    /// Unbiased sample variance, `Σ (x − mean)² / (n − 1)`; nil below two values.
    public var variance: Double? { count >= 2 ? squaredDeviations / Double(count - 1) : nil }

    /// Share of values exactly zero (0 when empty).
    public var zeroFraction: Double { count == 0 ? 0 : Double(zeros) / Double(count) }
}
