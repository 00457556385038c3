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
        let origins: Origins

        public var count: Int { labels.count }

        /// Where sample `index` comes from, named as `LoadedDataset.origins` names it.
        public func origin(_ index: Int) -> String {
            switch origins {
            case let .records(file): return "\(file)#\(index)"
            case let .files(collection, split): return collection.displayName(of: collection.splits[split].items[index])
            }
        }
    }

    /// How a split's origins are named, without a string per sample.
    enum Origins: Sendable {
        /// `file#index`: the record's position in an array file.
        case records(String)
        /// The photo's display name in split `split` of the collection.
        case files(ImageCollection, split: Int)
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
