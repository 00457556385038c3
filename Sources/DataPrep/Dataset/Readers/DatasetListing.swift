/// A dataset's samples before decoding: per split, each sample's label and where it comes from.
///
/// Samples are in load order. A collection's listing also holds the photos that will fail to
/// decode (nothing is decoded to find out): its load keeps the decodable ones in listing order
/// and reports the rest in `LoadedDataset.skipped`.
public struct DatasetListing: Sendable {
    /// One split's samples.
    public struct Split: Sendable {
        public let name: String
        /// One label per sample, index into `classNames`.
        public let labels: [Int32]
        /// CIFAR-100's superclass of each sample (nil for other sources).
        public let coarseLabels: [Int32]?
        /// Where each sample comes from, named as `LoadedDataset.origins` names it (`file#index`
        /// for a record of an array file, the display path for a photo), without a string per
        /// sample.
        public let origins: SampleOrigins

        public var count: Int { labels.count }

        /// Where sample `index` comes from.
        public func origin(_ index: Int) -> String { origins[index] }
    }

    /// Class names, index = label.
    public let classNames: [String]
    /// CIFAR-100's superclass names (nil for other sources).
    public let coarseClassNames: [String]?
    public let splits: [Split]
    /// What the listing already passes over (a collection's non-images, a CIFAR split whose
    /// batch files are all absent), with reasons.
    public let skipped: [SkippedFile]

    /// Samples over all splits.
    public var count: Int { splits.reduce(0) { $0 + $1.count } }
}

extension DatasetListing.Split {
    /// A split of an array file's records, each named `file#index`.
    init(name: String, labels: [Int32], coarseLabels: [Int32]?, records file: String) {
        self.init(name: name, labels: labels, coarseLabels: coarseLabels, origins: SampleOrigins(records: file, count: labels.count))
    }
}
