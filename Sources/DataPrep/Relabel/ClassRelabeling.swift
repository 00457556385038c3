/// A `ClassMap` resolved against a dataset's classes: where each original label goes.
///
/// Recorded in `dataset.json` (key `classMap`) of an output made with `--map`:
/// `{"from": ["0", …, "9"], "to": ["lt5", "ge5"], "labels": [0, 0, 0, 0, 0, 1, 1, 1, 1, 1]}`,
/// `labels[original] = new label`, `null` for a dropped class.
public struct ClassRelabeling: Codable, Equatable, Sendable {
    /// The dataset's classes before (index = original label).
    public var originalClassNames: [String]
    /// The classes after (index = new label).
    public var classNames: [String]
    /// New label of each original label; nil: its samples are dropped.
    public var labels: [Int?]

    public init(originalClassNames: [String], classNames: [String], labels: [Int?]) {
        precondition(labels.count == originalClassNames.count, "one new label per original class, got \(labels.count) for \(originalClassNames.count)")
        precondition(labels.allSatisfy { $0.map { classNames.indices.contains($0) } ?? true }, "new labels must lie in 0..<\(classNames.count)")
        self.originalClassNames = originalClassNames; self.classNames = classNames; self.labels = labels
    }

    private enum CodingKeys: String, CodingKey { case originalClassNames = "from", classNames = "to", labels }

    /// Checks what a `dataset.json` claims before anything trusts it.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let from = try c.decode([String].self, forKey: .originalClassNames), to = try c.decode([String].self, forKey: .classNames)
        let labels = try c.decode([Int?].self, forKey: .labels)
        guard labels.count == from.count, labels.allSatisfy({ $0.map { to.indices.contains($0) } ?? true }) else {
            throw DecodingError.dataCorruptedError(forKey: .labels, in: c,
                                                   debugDescription: "classMap needs one label per original class, each in 0..<\(to.count) or null")
        }
        self.init(originalClassNames: from, classNames: to, labels: labels)
    }

    /// Original classes whose samples are dropped.
    public var droppedClassNames: [String] { originalClassNames.indices.filter { labels[$0] == nil }.map { originalClassNames[$0] } }

    /// `data` relabelled, without the samples of dropped classes.
    ///
    /// - Returns: the new dataset and, for each of its samples, its index in `data` (whose
    ///   `labels` are the originals).
    /// - Precondition: `data.classNames == originalClassNames`.
    /// - Parameter spillDirectory: when samples are dropped, the kept ones are gathered into a
    ///   spill file there (`ImageDataset.gathering(_:spillingInto:)`) instead of memory.
    /// - Throws: only when spilling fails (`DataPrepError.io`).
    /// - Complexity: O(samples); one copy of the pixels only when something is dropped.
    public func apply(to data: ImageDataset, spillingInto spillDirectory: String? = nil) throws -> (data: ImageDataset, kept: [Int]) {
        precondition(data.classNames == originalClassNames, "relabelling made for \(originalClassNames.count) classes applied to other classes")
        let kept = data.labels.indices.filter { labels[Int(data.labels[$0])] != nil }
        var out = kept.count == data.count ? data : try spillDirectory.map { try data.gathering(kept, spillingInto: $0) } ?? data.gathering(kept)
        out.labels = kept.map { Int32(labels[Int(data.labels[$0])]!) }
        out.classNames = classNames
        out.checkInvariants()
        return (out, kept)
    }
}

extension LoadedDataset {
    /// Every split relabelled by `map` (resolved against the splits' shared classes); origins
    /// and source hashes follow the kept samples.
    ///
    /// - Throws: `ClassMapError` when the map does not fit the classes; `DataPrepError` when
    ///   the splits disagree on their classes.
    public func relabeled(by map: ClassMap, path: String) throws -> LoadedDataset {
        guard let first = splits.splits.first?.data else { return self }
        let relabeling = try map.resolved(against: first.classNames)
        var result = self
        var newSplits: [(name: String, data: ImageDataset)] = []
        for (s, split) in splits.splits.enumerated() {
            guard split.data.classNames == first.classNames else {
                throw DataPrepError.inconsistent(path: path, reason: "its splits have different classes, so one class map cannot apply to all")
            }
            let (data, kept) = try relabeling.apply(to: split.data)
            newSplits.append((split.name, data))
            if s < origins.count && origins[s].count == split.data.count { result.origins[s] = origins[s].gathering(kept) }
            if s < sourceHashes.count && sourceHashes[s].count == split.data.count { result.sourceHashes[s] = sourceHashes[s].gathering(kept) }
        }
        result.splits = SplitDataset(splits: newSplits)
        return result
    }
}
