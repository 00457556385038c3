import Testing
import TestSupport
@testable import DataPrep

/// `SplitSpec` validation, its per-class counts, and the errors a split reports for small classes.
@Suite struct SplitSpecTests {
    // MARK: Invalid specs

    @Test(arguments: [
        [-1, 5, 5],   // negative
        [0, 0, 0],    // nothing asked
        [],           // no splits
    ])
    func perClassCountsMustBeNonNegativeWithOnePositive(_ counts: [Int]) {
        #expect(throws: SplitError.invalidSpec("per-class counts must be non-negative with at least one positive, got \(counts)")) {
            try SplitSpec(sizes: .perClass(counts))
        }
    }

    @Test(arguments: [
        [0.8, -0.1, 0.3],          // negative
        [0.5, .nan, 0.5],          // not a number
        [.infinity, 0.1],          // not finite
        [0, 0],                    // nothing asked
    ])
    func ratiosMustBeFiniteAndNonNegative(_ ratios: [Double]) {
        #expect(throws: SplitError.invalidSpec("ratios must be non-negative with at least one positive, got \(ratios)")) {
            try SplitSpec(sizes: .ratios(ratios))
        }
    }

    /// Ratios share out every sample: a sum other than 1 would silently drop samples (or ask
    /// for more than exist), so it is refused.
    @Test(arguments: [[0.8, 0.1, 0.2], [0.5, 0.4], [0.1], [0.333, 0.333, 0.333]])
    func ratiosNotAddingUpToOneAreRefused(_ ratios: [Double]) throws {
        let error = try #require(throws: SplitError.self) { try SplitSpec(sizes: .ratios(ratios)) }
        guard case let .invalidSpec(reason) = error else { Issue.record("expected invalidSpec, got \(error)"); return }
        #expect(reason.contains("add up to \(ratios.reduce(0, +))"), "\(reason)")
    }

    /// Float sums that are 1 up to rounding (0.7 + 0.2 + 0.1 == 0.9999999999999999) are fine.
    @Test func ratiosAddingUpToOneUpToRoundingAreAccepted() throws {
        #expect(0.7 + 0.2 + 0.1 != 1.0)   // the case this test is about
        let spec = try SplitSpec(sizes: .ratios([0.7, 0.2, 0.1]))
        #expect(spec.names == ["train", "val", "test"])
        #expect(try spec.counts(available: 10, className: "c").counts == [7, 2, 1])
    }

    @Test func namesMustMatchTheSplitCountAndBeDistinctAndPlain() {
        #expect(throws: SplitError.invalidSpec("3 split sizes but 2 names (a,b)")) {
            try SplitSpec(sizes: .perClass([1, 1, 1]), names: ["a", "b"])
        }
        for bad in [["train", "train"], ["train", "my test"], ["train", ""], ["train", "../x"], ["train", String(repeating: "x", count: 65)]] {
            #expect(throws: SplitError.invalidSpec("split names must be distinct and use letters, digits, '-' or '_', got \(bad.joined(separator: ","))")) {
                try SplitSpec(sizes: .ratios([0.5, 0.5]), names: bad)
            }
        }
        #expect(throws: Never.self) { try SplitSpec(sizes: .ratios([0.5, 0.5]), names: ["fold-1", "Fold_2"]) }
    }

    /// Default names from `SplitSpec.defaultNames`' documentation.
    @Test func defaultNamesFollowTheSplitCount() throws {
        #expect(try SplitSpec(sizes: .perClass([5])).names == ["train"])
        #expect(try SplitSpec(sizes: .perClass([5, 1])).names == ["train", "test"])
        #expect(try SplitSpec(sizes: .perClass([5, 1, 1])).names == ["train", "val", "test"])
        #expect(try SplitSpec(sizes: .perClass([1, 1, 1, 1])).names == ["split0", "split1", "split2", "split3"])
    }

    // MARK: Counts

    @Test func perClassCountsAreExactWhenTheClassIsLargeEnough() throws {
        let spec = try SplitSpec(sizes: .perClass([600, 140, 140]))
        #expect(try spec.counts(available: 880, className: "cat") == ([600, 140, 140], false))
        #expect(try spec.counts(available: 880, className: "cat").counts.reduce(0, +) == 880)
        #expect(try spec.counts(available: 5000, className: "cat").counts == [600, 140, 140])
    }

    /// Largest remainder by hand: 10 × (0.45, 0.45, 0.1) = 4.5, 4.5, 1 → floors 4, 4, 1, one
    /// left for the earlier of the tied remainders → 5, 4, 1.
    @Test func ratioTiesGoToTheEarlierSplit() throws {
        let spec = try SplitSpec(sizes: .ratios([0.45, 0.45, 0.1]))
        #expect(try spec.counts(available: 10, className: "c").counts == [5, 4, 1])
        // 7 × (0.5, 0.25, 0.25) = 3.5, 1.75, 1.75 → floors 3, 1, 1; remainders .5, .75, .75 → 3, 2, 2.
        #expect(try SplitSpec(sizes: .ratios([0.5, 0.25, 0.25])).counts(available: 7, className: "c").counts == [3, 2, 2])
    }

    @Test func tooFewSamplesNameTheClassWithWhatItHasAndNeeds() throws {
        let spec = try SplitSpec(sizes: .perClass([600, 140, 140]))
        let expected = SplitError.notEnoughSamples(className: "dog", available: 700, needed: 880,
                                                   perSplit: [("train", 600), ("val", 140), ("test", 140)])
        #expect(throws: expected) { try spec.counts(available: 700, className: "dog") }
        #expect(expected.description == "class 'dog' has 700 samples but 600 train + 140 val + 140 test needs 880; "
                + "lower the counts or pass --allow-short to take the 700 it has")
    }

    /// `allowShort` shares what there is in the asked proportions: 700 × (600, 140, 140) / 880
    /// = 477.27, 111.36, 111.36 → floors 477, 111, 111 (699), one left → to the largest
    /// remainder (the tied 0.36s, earlier first) → 477, 112, 111. Sum 700.
    @Test func allowShortTakesWhatExistsInTheSameProportions() throws {
        let spec = try SplitSpec(sizes: .perClass([600, 140, 140]), allowShort: true)
        let (counts, short) = try spec.counts(available: 700, className: "dog")
        #expect(short)
        #expect(counts == [477, 112, 111])
        #expect(try spec.counts(available: 880, className: "dog") == ([600, 140, 140], false))
        #expect(try spec.counts(available: 0, className: "dog") == ([0, 0, 0], true))
    }

    // MARK: Through the planner

    /// Three classes a, b, c with 4, 2, 5 samples interleaved.
    static let labels: [Int32] = [0, 1, 2, 0, 2, 0, 1, 2, 2, 0, 2]
    static let names = ["a", "b", "c"]

    @Test func aShortClassStopsThePlanNamingTheFirstShortClass() throws {
        let spec = try SplitSpec(sizes: .perClass([2, 1]))
        #expect(throws: SplitError.notEnoughSamples(className: "b", available: 2, needed: 3, perSplit: [("train", 2), ("test", 1)])) {
            try SplitPlan.make(labels: Self.labels, classNames: Self.names, spec: spec, seed: 1)
        }
        // Excluding one of a's four samples leaves it 3, still enough; excluding two makes it short first.
        let excluded: Set<Int> = [0, 3]
        #expect(throws: SplitError.notEnoughSamples(className: "a", available: 2, needed: 3, perSplit: [("train", 2), ("test", 1)])) {
            try SplitPlan.make(labels: Self.labels, classNames: Self.names, spec: spec, seed: 1, excluded: excluded)
        }
    }

    /// A class with no samples at all cannot give the asked counts either: it must not vanish silently.
    @Test func anAbsentClassIsShortNotSkipped() throws {
        let spec = try SplitSpec(sizes: .perClass([1, 1]))
        let names = ["a", "b", "c", "d"]   // d has no samples
        #expect(throws: SplitError.notEnoughSamples(className: "d", available: 0, needed: 2, perSplit: [("train", 1), ("test", 1)])) {
            try SplitPlan.make(labels: Self.labels, classNames: names, spec: spec, seed: 1)
        }
        let short = try SplitPlan.make(labels: Self.labels, classNames: names,
                                       spec: SplitSpec(sizes: .perClass([1, 1]), allowShort: true), seed: 1)
        #expect(short.shortClasses.map(\.className) == ["d"] && short.shortClasses.map(\.available) == [0])
        #expect(short.splits.map(\.count) == [3, 3])
    }

    @Test func allowShortReportsEveryShortClassWithWhatItHad() throws {
        let spec = try SplitSpec(sizes: .perClass([3, 1]), allowShort: true)
        let plan = try SplitPlan.make(labels: Self.labels, classNames: Self.names, spec: spec, seed: 9)
        #expect(plan.shortClasses.map(\.className) == ["b"])
        #expect(plan.shortClasses.map(\.available) == [2])
        // b: 2 × (3, 1) / 4 = 1.5, 0.5 → floors 1, 0; remainders tie → earlier: 2, 0.
        func count(_ split: Int, _ label: Int32) -> Int { plan.splits[split].filter { Self.labels[$0] == label }.count }
        #expect([count(0, 0), count(0, 1), count(0, 2)] == [3, 2, 3])
        #expect([count(1, 0), count(1, 1), count(1, 2)] == [1, 0, 1])
    }

    @Test func emptySourceIsItsOwnError() throws {
        #expect(throws: SplitError.emptySource("the source has no samples")) {
            try SplitPlan.make(labels: [], classNames: ["a"], spec: SplitSpec(sizes: .ratios([1])), seed: 0)
        }
    }
}
