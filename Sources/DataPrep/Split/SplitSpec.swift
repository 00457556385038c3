/// How many samples of each class go to each split.
public struct SplitSpec: Equatable, Sendable {
    /// The two ways users ask for splits.
    public enum Sizes: Equatable, Sendable {
        /// Fixed counts per class and split, e.g. `[1000, 500, 500]` (the users' lab recipe).
        case perClass([Int])
        /// Fractions of each class per split, e.g. `[0.8, 0.1, 0.1]`, adding up to 1 (every
        /// sample lands in exactly one split).
        case ratios([Double])
    }

    public var sizes: Sizes
    /// One name per split, e.g. `train`, `val`, `test`.
    public var names: [String]
    /// When a class is too small for `perClass`, take what it has (scaled down in the same
    /// proportions) instead of failing.
    public var allowShort: Bool

    public init(sizes: Sizes, names: [String]? = nil, allowShort: Bool = false) throws {
        let count: Int
        switch sizes {
        case let .perClass(counts):
            guard !counts.isEmpty, counts.allSatisfy({ $0 >= 0 }), counts.contains(where: { $0 > 0 }) else {
                throw SplitError.invalidSpec("per-class counts must be non-negative with at least one positive, got \(counts)")
            }
            count = counts.count
        case let .ratios(ratios):
            guard !ratios.isEmpty, ratios.allSatisfy({ $0 >= 0 && $0.isFinite }), ratios.contains(where: { $0 > 0 }) else {
                throw SplitError.invalidSpec("ratios must be non-negative with at least one positive, got \(ratios)")
            }
            // A sum below 1 would silently leave samples out, above 1 ask for more than exist;
            // the tolerance only forgives decimal fractions' binary rounding (0.7+0.2+0.1).
            guard abs(ratios.reduce(0, +) - 1) <= 1e-6 else {
                throw SplitError.invalidSpec("ratios add up to \(ratios.reduce(0, +)), not 1")
            }
            count = ratios.count
        }
        let names = names ?? SplitSpec.defaultNames(count)
        guard names.count == count else {
            throw SplitError.invalidSpec("\(count) split sizes but \(names.count) names (\(names.joined(separator: ",")))")
        }
        guard Set(names).count == names.count, names.allSatisfy(SplitSpec.isValidName) else {
            throw SplitError.invalidSpec("split names must be distinct and use letters, digits, '-' or '_', got \(names.joined(separator: ","))")
        }
        self.sizes = sizes; self.names = names; self.allowShort = allowShort
    }

    /// `train`, `val`, `test` for three splits; `train`, `test` for two; `train` for one;
    /// `split0`... beyond.
    public static func defaultNames(_ count: Int) -> [String] {
        switch count {
        case 1: return ["train"]
        case 2: return ["train", "test"]
        case 3: return ["train", "val", "test"]
        default: return (0..<count).map { "split\($0)" }
        }
    }

    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 64 && name.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_"
        }
    }

    /// Samples of a class with `available` samples that go to each split.
    ///
    /// Ratios use largest-remainder rounding: the class's `available` samples are shared out by
    /// the floors of `available × ratio`, then one more to the splits with the
    /// largest remainders (earlier split first on ties), so every class is cut in the same
    /// proportions and nothing is lost to rounding.
    public func counts(available: Int, className: String) throws -> (counts: [Int], short: Bool) {
        switch sizes {
        case let .perClass(wanted):
            let needed = wanted.reduce(0, +)
            if available >= needed { return (wanted, false) }
            guard allowShort else {
                throw SplitError.notEnoughSamples(className: className, available: available, needed: needed,
                                                  perSplit: Array(zip(names, wanted)))
            }
            return (SplitSpec.largestRemainder(total: available, weights: wanted.map(Double.init)), true)
        case let .ratios(ratios):
            return (SplitSpec.largestRemainder(total: available, weights: ratios), false)
        }
    }

    /// `total` shared in proportion to `weights` by largest remainders (ties: earlier first).
    ///
    /// Shares are computed in floating point, whose noise must not decide a tie: 28 × 0.45
    /// leaves remainder 0.5999999999999996 but 28 × 0.2 leaves 0.6000000000000005, which would
    /// hand the extra sample to the later split. So a share within 1e-9 of a whole number counts
    /// as that number, and remainders are compared on a 1e-9 grid.
    static func largestRemainder(total: Int, weights: [Double]) -> [Int] {
        let sum = weights.reduce(0, +)
        guard sum > 0, total > 0 else { return weights.map { _ in 0 } }
        let exact = weights.map { Double(total) * $0 / sum }
        var counts = exact.map { Int(($0 + 1e-9).rounded(.down)) }
        let remainders = exact.indices.map { Int64((max(0, exact[$0] - Double(counts[$0])) * 1e9).rounded()) }
        var left = total - counts.reduce(0, +)
        let order = exact.indices.sorted { a, b in
            remainders[a] != remainders[b] ? remainders[a] > remainders[b] : a < b
        }
        var k = 0
        while left > 0 { counts[order[k % order.count]] += 1; left -= 1; k += 1 }
        return counts
    }
}
