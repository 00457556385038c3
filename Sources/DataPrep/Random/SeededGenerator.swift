/// The one random-number generator of the toolkit: xoshiro256** seeded through SplitMix64.
///
/// Why our own and not `SystemRandomNumberGenerator` or Swift's `shuffle(using:)`: outputs must
/// be byte-identical on every machine, Swift version and thread count, so the generator, the
/// way a bounded integer is drawn and the shuffle algorithm are all fixed here and tested
/// against recorded values. Reference: Blackman & Vigna, "Scrambled linear pseudorandom number
/// generators" (2018); SplitMix64 from Steele et al. (2014), as in `java.util.SplittableRandom`.
public struct SeededGenerator: RandomNumberGenerator, Sendable, Equatable {
    private var s0, s1, s2, s3: UInt64

    /// A generator whose whole state comes from one 64-bit seed.
    public init(seed: UInt64) {
        var mixer = SplitMix64(state: seed)
        s0 = mixer.next(); s1 = mixer.next(); s2 = mixer.next(); s3 = mixer.next()
        if s0 | s1 | s2 | s3 == 0 { s0 = 1 }  // xoshiro's one forbidden state; SplitMix64 never yields it in practice
    }

    /// An independent stream for one (purpose, epoch, index) cell under a root seed.
    ///
    /// Sample `index` of `epoch` gets the same stream whatever the batch size, visiting order
    /// or thread count: the stream depends on the three numbers only, never on what was drawn
    /// before. `purpose` separates uses of one seed (shuffling vs augmentation vs dropout).
    public init(seed: UInt64, stream purpose: UInt64, epoch: Int = 0, index: Int = 0) {
        var mixer = SplitMix64(state: seed)
        var key = mixer.next() ^ purpose &* 0x9E37_79B9_7F4A_7C15
        key = SplitMix64.mix(key ^ UInt64(bitPattern: Int64(epoch)) &* 0xD1B5_4A32_D192_ED03)
        key = SplitMix64.mix(key ^ UInt64(bitPattern: Int64(index)) &* 0x8CB9_2BA7_2F3D_8DD7)
        self.init(seed: key)
    }

    public mutating func next() -> UInt64 {
        let result = rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        return result
    }

    /// A uniform integer in `0..<bound` by Lemire's multiply-and-reject method (exact, unbiased,
    /// and defined here so it never changes with the standard library).
    public mutating func nextInt(below bound: Int) -> Int {
        precondition(bound > 0, "nextInt(below:) needs a positive bound, got \(bound)")
        let range = UInt64(bound)
        var product = next().multipliedFullWidth(by: range)
        if product.low < range {
            let threshold = (0 &- range) % range
            while product.low < threshold { product = next().multipliedFullWidth(by: range) }
        }
        return Int(product.high)
    }

    /// A uniform integer in `range` (both ends inclusive).
    public mutating func nextInt(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + nextInt(below: range.upperBound - range.lowerBound + 1)
    }

    /// A uniform `Double` in [0, 1) with 53 random bits.
    public mutating func nextDouble() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// A uniform `Float` in [0, 1) with 24 random bits.
    public mutating func nextFloat() -> Float { Float(next() >> 40) * 0x1.0p-24 }

    /// A uniform `Double` in `low..<high` (returns `low` when the range is empty).
    public mutating func nextDouble(in low: Double, _ high: Double) -> Double { low + (high - low) * nextDouble() }

    /// `true` with probability `p`.
    public mutating func nextBool(probability p: Double = 0.5) -> Bool { nextDouble() < p }

    /// A standard normal `Double` (Box–Muller; both uniforms drawn every call so the number of
    /// draws per call is fixed).
    public mutating func nextGaussian() -> Double {
        let u1 = 1 - nextDouble(), u2 = nextDouble()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// Fisher–Yates shuffle from the last element down, drawing with `nextInt(below:)`.
    public mutating func shuffle<C: MutableCollection & RandomAccessCollection>(_ items: inout C) where C.Index == Int {
        guard items.count > 1 else { return }
        var i = items.endIndex - 1
        while i > items.startIndex {
            let j = items.startIndex + nextInt(below: i - items.startIndex + 1)
            items.swapAt(i, j)
            i -= 1
        }
    }

    /// `0..<count` in a seeded random order.
    public mutating func permutation(_ count: Int) -> [Int] {
        var order = Array(0..<count)
        shuffle(&order)
        return order
    }

    private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}

/// SplitMix64: expands one seed into well-mixed words (seeding only).
struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return SplitMix64.mix(state)
    }
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

#if canImport(Glibc)
import Glibc
#endif
