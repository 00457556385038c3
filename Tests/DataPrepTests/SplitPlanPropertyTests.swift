import Testing
import TestSupport
@testable import DataPrep

/// `SplitPlan.make` over many small random datasets and specs, checked against a simple
/// integer reference of what each split must hold.
@Suite struct SplitPlanPropertyTests {
    /// One random dataset: 2...6 classes of 1...40 samples each, labels in a shuffled order
    /// so classes interleave in the source.
    struct Case {
        var labels: [Int32]
        var classNames: [String]
        var perClassCount: [Int]
    }

    static func randomCase(_ generator: inout SeededGenerator) -> Case {
        let classes = generator.nextInt(in: 2...6)
        let counts = (0..<classes).map { _ in generator.nextInt(in: 1...40) }
        var labels = counts.enumerated().flatMap { c, n in [Int32](repeating: Int32(c), count: n) }
        generator.shuffle(&labels)
        return Case(labels: labels, classNames: (0..<classes).map { "class\($0)" }, perClassCount: counts)
    }

    /// Ratios as twentieths (k/20, summing to 20/20) for 2...4 splits, so the reference can
    /// compute exactly in integers.
    static func randomTwentieths(_ generator: inout SeededGenerator) -> [Int] {
        let splits = generator.nextInt(in: 2...4)
        var parts = [Int](repeating: 1, count: splits)   // each split at least 1/20
        for _ in 0..<(20 - splits) { parts[generator.nextInt(below: splits)] += 1 }
        return parts
    }

    /// Largest-remainder rounding of `n × k/20` in exact integers: floors `n*k / 20`, then one
    /// more to the largest remainders `n*k % 20`, earlier split first on ties.
    static func referenceCounts(_ n: Int, twentieths: [Int]) -> [Int] {
        var counts = twentieths.map { n * $0 / 20 }
        let order = twentieths.indices.sorted { a, b in
            let ra = n * twentieths[a] % 20, rb = n * twentieths[b] % 20
            return ra != rb ? ra > rb : a < b
        }
        for k in 0..<(n - counts.reduce(0, +)) { counts[order[k]] += 1 }
        return counts
    }

    /// How many samples of `label` each split of `plan` holds.
    static func histogram(_ plan: SplitPlan, labels: [Int32], label: Int) -> [Int] {
        plan.splits.map { split in split.filter { Int(labels[$0]) == label }.count }
    }

    /// Every index at most once across all splits, and only indices that exist and were not excluded.
    static func expectDisjoint(_ plan: SplitPlan, count: Int, excluded: Set<Int>, _ context: String) {
        let all = plan.splits.flatMap { $0 }
        #expect(Set(all).count == all.count, "an index repeats: \(context)")
        #expect(all.allSatisfy { (0..<count).contains($0) }, "index out of range: \(context)")
        #expect(excluded.isDisjoint(with: all), "an excluded index was used: \(context)")
    }

    @Test func ratioSplitsUseEverySampleOnceStratifiedByLargestRemainder() throws {
        var generator = SeededGenerator(seed: 20240601)
        for caseIndex in 0..<200 {
            let c = Self.randomCase(&generator)
            let twentieths = Self.randomTwentieths(&generator)
            let spec = try SplitSpec(sizes: .ratios(twentieths.map { Double($0) / 20 }))
            let seed = generator.next()
            let plan = try SplitPlan.make(labels: c.labels, classNames: c.classNames, spec: spec, seed: seed)
            let context = "case \(caseIndex): counts \(c.perClassCount), ratios \(twentieths)/20"
            Self.expectDisjoint(plan, count: c.labels.count, excluded: [], context)
            #expect(plan.splits.flatMap { $0 }.sorted() == Array(0..<c.labels.count), "not complete: \(context)")
            #expect(plan.names == spec.names && plan.shortClasses.isEmpty)
            for label in c.classNames.indices {
                #expect(Self.histogram(plan, labels: c.labels, label: label) == Self.referenceCounts(c.perClassCount[label], twentieths: twentieths),
                        "class \(label): \(context)")
            }
        }
    }

    @Test func perClassSplitsTakeExactlyTheCountsAndNeverAnExcludedSample() throws {
        var generator = SeededGenerator(seed: 77)
        for caseIndex in 0..<200 {
            let c = Self.randomCase(&generator)
            // Exclude about a tenth of the samples (as --dedupe would), then ask for at most
            // what the smallest class still has.
            let excluded = Set((0..<c.labels.count).filter { _ in generator.nextInt(below: 10) == 0 })
            var remaining = [Int](repeating: 0, count: c.classNames.count)
            for (i, label) in c.labels.enumerated() where !excluded.contains(i) { remaining[Int(label)] += 1 }
            guard let smallest = remaining.min(), smallest > 0 else { continue }
            let splits = generator.nextInt(in: 1...3)
            var counts = [Int](repeating: 0, count: splits)
            for _ in 0..<generator.nextInt(in: 1...smallest) { counts[generator.nextInt(below: splits)] += 1 }
            let spec = try SplitSpec(sizes: .perClass(counts))
            let plan = try SplitPlan.make(labels: c.labels, classNames: c.classNames, spec: spec, seed: generator.next(), excluded: excluded)
            let context = "case \(caseIndex): counts \(c.perClassCount), per-class \(counts), excluded \(excluded.sorted())"
            Self.expectDisjoint(plan, count: c.labels.count, excluded: excluded, context)
            for label in c.classNames.indices {
                #expect(Self.histogram(plan, labels: c.labels, label: label) == counts, "class \(label): \(context)")
            }
        }
    }

    @Test func perClassFailsOnTheFirstClassThatIsTooSmallAndAllowShortTakesIt() throws {
        var generator = SeededGenerator(seed: 5)
        var checked = 0
        for _ in 0..<200 {
            let c = Self.randomCase(&generator)
            let want = [generator.nextInt(in: 1...25), generator.nextInt(in: 0...10)]
            let needed = want.reduce(0, +)
            guard let first = c.perClassCount.firstIndex(where: { $0 < needed }) else { continue }
            checked += 1
            #expect(throws: SplitError.notEnoughSamples(className: c.classNames[first], available: c.perClassCount[first], needed: needed,
                                                        perSplit: [("train", want[0]), ("test", want[1])])) {
                try SplitPlan.make(labels: c.labels, classNames: c.classNames, spec: SplitSpec(sizes: .perClass(want)), seed: 1)
            }
            let plan = try SplitPlan.make(labels: c.labels, classNames: c.classNames,
                                          spec: SplitSpec(sizes: .perClass(want), allowShort: true), seed: 1)
            let short = c.perClassCount.indices.filter { c.perClassCount[$0] < needed }
            #expect(plan.shortClasses.map(\.className) == short.map { c.classNames[$0] })
            #expect(plan.shortClasses.map(\.available) == short.map { c.perClassCount[$0] })
            for label in c.classNames.indices {
                let got = Self.histogram(plan, labels: c.labels, label: label)
                if short.contains(label) {
                    // Everything it has, shared as closely as possible to the asked proportions.
                    #expect(got.reduce(0, +) == c.perClassCount[label])
                    let exact = want.map { Double(c.perClassCount[label] * $0) / Double(needed) }
                    #expect(zip(got, exact).allSatisfy { abs(Double($0) - $1) < 1 }, "\(got) vs \(exact)")
                } else {
                    #expect(got == want)
                }
            }
        }
        #expect(checked > 50)   // the generator does produce short classes
    }

    @Test func sameSeedSamePlanOtherSeedOtherPlan() throws {
        var generator = SeededGenerator(seed: 99)
        var compared = 0
        for _ in 0..<200 {
            let c = Self.randomCase(&generator)
            let spec = try SplitSpec(sizes: .ratios([0.6, 0.2, 0.2]))
            let seed = generator.next()
            let plan = try SplitPlan.make(labels: c.labels, classNames: c.classNames, spec: spec, seed: seed)
            #expect(try SplitPlan.make(labels: c.labels, classNames: c.classNames, spec: spec, seed: seed) == plan)
            // With 8 or more samples in one split, another seed giving the same order has odds
            // below 1/8! = 1/40320 per case.
            if plan.splits.contains(where: { $0.count >= 8 }) {
                compared += 1
                #expect(try SplitPlan.make(labels: c.labels, classNames: c.classNames, spec: spec, seed: seed &+ 1) != plan)
            }
        }
        #expect(compared > 100)
    }

    /// Each class is shuffled by its own stream, so adding samples of another class (appended
    /// after the existing ones) does not move any sample of this class to another split.
    @Test func addingSamplesToOneClassDoesNotMoveAnother() throws {
        var generator = SeededGenerator(seed: 3)
        for _ in 0..<50 {
            let c = Self.randomCase(&generator)
            let spec = try SplitSpec(sizes: .ratios([0.5, 0.25, 0.25]))
            let before = try SplitPlan.make(labels: c.labels, classNames: c.classNames, spec: spec, seed: 11)
            let grown = c.labels + [Int32](repeating: 1, count: generator.nextInt(in: 1...10))
            let after = try SplitPlan.make(labels: grown, classNames: c.classNames, spec: spec, seed: 11)
            for s in before.splits.indices {
                let mine = { (split: [Int]) in Set(split.filter { c.labels.indices.contains($0) && c.labels[$0] == 0 }) }
                #expect(mine(before.splits[s]) == mine(after.splits[s]))
            }
        }
    }

    /// A split is not ordered by class: every split is shuffled after the per-class cut.
    @Test func splitsAreShuffledNotGroupedByClass() throws {
        let labels = (0..<100).map { Int32($0 / 50) }   // 50 of class 0, then 50 of class 1
        let plan = try SplitPlan.make(labels: labels, classNames: ["a", "b"], spec: SplitSpec(sizes: .perClass([40, 10])), seed: 4)
        let trainLabels = plan.splits[0].map { labels[$0] }
        #expect(trainLabels.count == 80)
        #expect(trainLabels != trainLabels.sorted())
        // 80 samples of two classes: a class-sorted order has 1 change of label; shuffled has many.
        #expect(zip(trainLabels, trainLabels.dropFirst()).filter { $0 != $1 }.count > 20)
    }
}
