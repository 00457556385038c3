/// Which source samples land in which split, in which order: the pure, seeded heart of
/// `dataprep split`, separate from decoding and writing so it can be property-tested.
public struct SplitPlan: Equatable, Sendable {
    /// Per split (in `names` order), the source indices in output order.
    public var splits: [[Int]]
    public var names: [String]
    /// Classes that had fewer samples than asked (only with `allowShort`), with what they had.
    public var shortClasses: [(className: String, available: Int)]

    public static func == (lhs: SplitPlan, rhs: SplitPlan) -> Bool {
        lhs.splits == rhs.splits && lhs.names == rhs.names && lhs.shortClasses.map(\.className) == rhs.shortClasses.map(\.className)
    }

    /// Plans a stratified split.
    ///
    /// Each class's samples (in source order, minus `excluded`) are shuffled by their own stream
    /// `SeededGenerator(seed:stream: .split, epoch: 0, index: class)`, then cut into consecutive
    /// runs of the class's counts; each split is then shuffled by the stream
    /// `(seed, .split, epoch: 1, index: split)`. Streams depend on nothing else, so the plan is
    /// identical on every machine and thread count, and changing one class does not move another.
    ///
    /// - Parameters:
    ///   - labels: the class of each source sample, `0..<classNames.count`.
    ///   - excluded: source indices to leave out (duplicates removed by `--dedupe`).
    public static func make(labels: [Int32], classNames: [String], spec: SplitSpec, seed: UInt64,
                            excluded: Set<Int> = []) throws -> SplitPlan {
        guard !labels.isEmpty else { throw SplitError.emptySource("the source has no samples") }
        var byClass = [[Int]](repeating: [], count: classNames.count)
        for (i, label) in labels.enumerated() where !excluded.contains(i) {
            precondition(Int(label) >= 0 && Int(label) < classNames.count, "label \(label) of sample \(i) outside \(classNames.count) classes")
            byClass[Int(label)].append(i)
        }
        var splits = [[Int]](repeating: [], count: spec.names.count)
        var short: [(String, Int)] = []
        for (c, members) in byClass.enumerated() {
            // A class with no samples is asked for counts like any other: per-class counts
            // make it short (an error unless `allowShort`), ratios give it nothing.
            let (counts, isShort) = try spec.counts(available: members.count, className: classNames[c])
            if isShort { short.append((classNames[c], members.count)) }
            var shuffled = members
            var generator = SeededGenerator(seed: seed, stream: StreamPurpose.split, epoch: 0, index: c)
            generator.shuffle(&shuffled)
            var start = 0
            for (s, n) in counts.enumerated() {
                splits[s] += shuffled[start..<(start + n)]
                start += n
            }
        }
        for s in splits.indices {
            var generator = SeededGenerator(seed: seed, stream: StreamPurpose.split, epoch: 1, index: s)
            generator.shuffle(&splits[s])
        }
        return SplitPlan(splits: splits, names: spec.names, shortClasses: short)
    }
}
