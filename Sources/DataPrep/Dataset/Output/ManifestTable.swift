/// The manifest of a `PreparedDataset` as compact tables; each `ManifestRow` (and its strings)
/// is made only when it is read, so `Manifest.writeCSV`/`writeJSON` hold one chunk of rows.
///
/// Why: `split` used to build a `ManifestRow` of five strings for every sample up front, beside
/// the origins and hex digests it copied them from: with those, ~1.3 KB per photo, 1.4 GB of
/// anonymous memory for a million photos. A table row costs the output split's label, the
/// sample's index in its source (shared with the `SplitPlan`) and, for a multi-source merge,
/// one byte naming the source.
public struct ManifestTable: RandomAccessCollection, Equatable, Sendable {
    /// The samples one output can draw from: `split`'s pooled source, or each input of
    /// `merge-cifar`.
    public struct Source: Sendable {
        /// Written before each origin (`cifar10:`), or "".
        public var tag: String
        public var origins: SampleOrigins
        public var digests: SampleDigests

        public init(tag: String = "", origins: SampleOrigins, digests: SampleDigests) {
            precondition(origins.count == digests.count, "\(origins.count) origins for \(digests.count) digests")
            self.tag = tag; self.origins = origins; self.digests = digests
        }
    }

    /// One output split's rows, in output order.
    public struct Split: Sendable {
        public var name: String
        /// Per row, the sample's index in its source.
        public var indices: [Int]
        /// Per row, which of `sources` it came from; nil: all from the first.
        public var sources: [UInt8]?
        /// Per row, the output label.
        public var labels: [Int32]
        /// Per row, the label before the class map; nil without one.
        public var originalLabels: [Int32]?

        public init(name: String, indices: [Int], sources: [UInt8]? = nil, labels: [Int32], originalLabels: [Int32]? = nil) {
            precondition(labels.count == indices.count && (sources?.count ?? indices.count) == indices.count
                         && (originalLabels?.count ?? indices.count) == indices.count,
                         "split \(name): \(indices.count) indices, \(labels.count) labels, \(sources?.count ?? -1) sources, \(originalLabels?.count ?? -1) original labels")
            self.name = name; self.indices = indices; self.sources = sources; self.labels = labels; self.originalLabels = originalLabels
        }
    }

    private enum Storage: Sendable {
        case rows([ManifestRow])
        case tables(sources: [Source], splits: [Split], classNames: [String], originalClassNames: [String]?, ends: [Int])
    }

    private let storage: Storage

    /// Rows given whole (small outputs, tests).
    public init(rows: [ManifestRow]) { storage = .rows(rows) }

    /// Rows made from `splits` over `sources`; `originalClassNames` names the labels before a
    /// class map (every split then has `originalLabels`).
    public init(sources: [Source], splits: [Split], classNames: [String], originalClassNames: [String]? = nil) {
        var ends: [Int] = [], total = 0
        for split in splits {
            precondition((split.originalLabels != nil) == (originalClassNames != nil), "split \(split.name): original labels without their class names, or the reverse")
            total += split.indices.count
            ends.append(total)
        }
        storage = .tables(sources: sources, splits: splits, classNames: classNames, originalClassNames: originalClassNames, ends: ends)
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int {
        switch storage {
        case let .rows(rows): return rows.count
        case let .tables(_, _, _, _, ends): return ends.last ?? 0
        }
    }

    /// Whether rows carry the label before a class map (`manifest.csv` then has two more columns).
    public var isRelabeled: Bool {
        switch storage {
        case let .rows(rows): return rows.contains { $0.originalLabel != nil }
        case let .tables(_, _, _, originalClassNames, ends): return originalClassNames != nil && ends.last != 0
        }
    }

    /// Row `i` (rows are numbered through the splits in order), made now.
    public subscript(i: Int) -> ManifestRow {
        switch storage {
        case let .rows(rows):
            return rows[i]
        case let .tables(sources, splits, classNames, originalClassNames, ends):
            precondition(i >= 0 && i < (ends.last ?? 0), "manifest row \(i) outside \(ends.last ?? 0)")
            var s = 0
            while ends[s] <= i { s += 1 }
            let split = splits[s], k = i - (s == 0 ? 0 : ends[s - 1])
            let source = sources[Int(split.sources?[k] ?? 0)], index = split.indices[k]
            let label = Int(split.labels[k]), original = split.originalLabels.map { Int($0[k]) }
            return ManifestRow(split: split.name, index: k, source: source.tag + source.origins[index], label: label,
                               className: classNames[label], sha256: source.digests[index],
                               originalLabel: original, originalClassName: original.map { originalClassNames![$0] })
        }
    }

    /// Equal when every row is.
    public static func == (lhs: ManifestTable, rhs: ManifestTable) -> Bool { lhs.elementsEqual(rhs) }
}
