/// What `split` and `merge-cifar` print at the end (table or `--json`).
public struct SplitSummary: Codable, Sendable {
    public struct SplitCount: Codable, Sendable {
        public var name: String
        public var count: Int
        /// Samples per class, in class order.
        public var histogram: [Int]
    }
    public struct ShortClass: Codable, Sendable {
        public var className: String
        public var available: Int
    }

    /// The folder written.
    public var output: String
    public var seed: UInt64
    /// Detected source format.
    public var format: String
    public var classNames: [String]
    public var splits: [SplitCount]
    /// Sets of ≥ 2 identical images in the source.
    public var duplicateGroups: Int
    /// Of those, how many ended up in more than one split (leakage).
    public var duplicatesAcrossSplits: Int
    /// Of those, how many carry different labels.
    public var duplicatesWithConflictingLabels: Int
    /// Samples left out by `--dedupe`.
    public var duplicatesRemoved: Int
    /// A few groups (as source names) to look at.
    public var duplicateExamples: [[String]]
    public var shortClasses: [ShortClass]
    public var skipped: [SkippedFile]
    public var normalization: Normalization?
    /// Free-form lines (e.g. merge-cifar's imbalance).
    public var notes: [String] = []
}
