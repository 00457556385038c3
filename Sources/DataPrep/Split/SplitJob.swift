/// `dataprep split` as a library call: decode the source, optionally resize / grayscale,
/// find duplicates, plan the stratified split, and assemble what the writer needs.
public struct SplitJob: Sendable {
    /// How `--normalize` turns bytes into floats.
    public enum NormalizeMode: String, CaseIterable, Codable, Sendable {
        case unit, standard
    }

    public var source: String
    public var spec: SplitSpec
    public var seed: UInt64
    /// Source splits to draw from (e.g. `["train"]`); nil pools all of them.
    public var fromSplits: [String]?
    public var load: LoadedDataset.Options
    /// Keep one copy of each set of identical images.
    public var dedupe: Bool
    public var normalize: NormalizeMode?
    /// Recorded in the manifest.
    public var command: String
    /// Relabels the source's classes before anything is planned (`--map`): the split is
    /// stratified over the new classes, and the manifest keeps each sample's original class.
    public var classMap: ClassMap?
    /// Accept a source where only one class has samples (otherwise `.singleClass`).
    public var allowSingleClass = false
    /// Where decoded pixels wait for their split: nil holds them in memory; a folder (the
    /// output's parent, so they land on the disk that will hold the output) streams them.
    /// A collection is decoded chunk by chunk into an unlinked `SpillFile` there, and each split
    /// is gathered into another one, both mapped read-only: anonymous memory then holds a chunk,
    /// the labels, origins and digests, never the pixels. The output bytes are the same.
    public var spillDirectory: String?

    public init(source: String, spec: SplitSpec, seed: UInt64, fromSplits: [String]? = nil,
                load: LoadedDataset.Options = .init(), dedupe: Bool = false, normalize: NormalizeMode? = nil, command: String = "",
                classMap: ClassMap? = nil) {
        self.source = source; self.spec = spec; self.seed = seed; self.fromSplits = fromSplits
        self.load = load; self.dedupe = dedupe; self.normalize = normalize; self.command = command; self.classMap = classMap
    }

    /// The prepared output and the facts worth telling the user.
    public struct Result: Sendable {
        public var prepared: PreparedDataset
        public var report: SplitSummary
    }

    /// Runs everything except writing.
    ///
    /// - Parameter progress: (done, total) while source images decode.
    public func prepare(progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> Result {
        var options = load
        options.hashSources = true
        // At the peak: the decoded source, the pooled copy (shared when the source has one
        // split), the gathered splits and one split's IDX or CIFAR encoding. x.npy is written
        // straight from the gathered pixels, float32 in bounded chunks, so --normalize adds none.
        options.memoryCopies = 4
        if let spillDirectory {
            // Spilled: the decoded source and the gathered splits live on disk, not in memory.
            options.spillDirectory = spillDirectory
            options.spillCopies = 2
        }
        var loaded = try LoadedDataset.load(path: source, options: options, progress: progress)
        var pooled = try pool(loaded)
        loaded.origins = []  // pooled holds what the manifest needs
        loaded.sourceHashes = []
        var relabeling: ClassRelabeling?, originals: (labels: [Int32], classNames: [String])?
        if let classMap {
            let map = try classMap.resolved(against: pooled.data.classNames)
            let (data, kept) = try map.apply(to: pooled.data, spillingInto: spillDirectory)
            originals = (kept.map { pooled.data.labels[$0] }, map.originalClassNames)
            pooled = (data, pooled.origins.gathering(kept), pooled.hashes.gathering(kept))
            relabeling = map
        }
        // Checked after relabelling: a map that merges everything into one class is refused too.
        let histogram = pooled.data.classHistogram
        let present = histogram.indices.filter { histogram[$0] > 0 }
        if present.count < 2 && !allowSingleClass {
            throw SplitError.singleClass(source: source, classNames: present.map { pooled.data.classNames[$0] })
        }
        let duplicates = try DuplicateGroups.find(in: pooled.data, threads: load.threads)
        let excluded = dedupe ? duplicates.redundant : []
        let plan = try SplitPlan.make(labels: pooled.data.labels, classNames: pooled.data.classNames, spec: spec, seed: seed,
                                      excluded: excluded)
        let crossing = duplicates.crossing(plan)

        var splits: [(name: String, data: ImageDataset)] = []
        var rows: [ManifestTable.Split] = []
        // The duplicate search's and the plan's scratch is freed: return its pages before gathering.
        Heap.releaseFreedPages()
        // Gathering copies bytes already decoded, so a quarter of the decode's chunk (8 MiB
        // writes) is as fast and keeps this phase's memory below the decode's: with a whole
        // chunk the gather set split's peak at 200k photos (51 MB of RssAnon; 40 MB at 50k).
        let gatherBytes = max(1, load.chunkBytes / 4)
        for (s, indices) in plan.splits.enumerated() {
            let data = try spillDirectory.map { try pooled.data.gathering(indices, spillingInto: $0, chunkBytes: gatherBytes) }
                ?? pooled.data.gathering(indices)
            splits.append((plan.names[s], data))
            // The manifest keeps the plan's indices and the split's labels (shared, not copied);
            // its rows are made when written.
            rows.append(ManifestTable.Split(name: plan.names[s], indices: indices, labels: data.labels,
                                            originalLabels: originals.map { o in indices.map { o.labels[$0] } }))
        }
        let manifest = ManifestTable(sources: [ManifestTable.Source(origins: pooled.origins, digests: pooled.hashes)], splits: rows,
                                     classNames: pooled.data.classNames, originalClassNames: originals?.classNames)
        var normalization: Normalization?
        switch normalize {
        case nil: normalization = nil
        case .unit: normalization = .unit
        case .standard:
            let fitOn = splits.first { $0.name == "train" } ?? splits[0]
            normalization = Normalization.fitStandard(storage: fitOn.data.storage, channels: fitOn.data.channels)
        }
        let prepared = PreparedDataset(splits: splits, classNames: pooled.data.classNames, normalization: normalization,
                                       manifest: manifest, seed: seed, command: command, source: source, classMap: relabeling)
        let summary = SplitSummary(
            output: "", seed: seed, format: loaded.format, classNames: pooled.data.classNames,
            splits: splits.map { SplitSummary.SplitCount(name: $0.name, count: $0.data.count, histogram: $0.data.classHistogram) },
            duplicateGroups: duplicates.groups.count, duplicatesAcrossSplits: crossing.count,
            duplicatesWithConflictingLabels: duplicates.conflicting(labels: pooled.data.labels).count,
            duplicatesRemoved: excluded.count,
            duplicateExamples: (dedupe ? duplicates.groups : crossing).prefix(5).map { $0.map { pooled.origins[$0] } },
            shortClasses: plan.shortClasses.map { .init(className: $0.className, available: $0.available) },
            skipped: loaded.skipped, normalization: normalization)
        return Result(prepared: prepared, report: summary)
    }

    /// The chosen source splits as one dataset, with origins and hashes aligned.
    private func pool(_ loaded: LoadedDataset) throws -> (data: ImageDataset, origins: SampleOrigins, hashes: SampleDigests) {
        var chosen = Array(loaded.splits.splits.indices)
        if let wanted = fromSplits {
            let names = loaded.splits.splits.map(\.name)
            for name in wanted where !names.contains(name) {
                throw SplitError.invalidSpec("the source has no split '\(name)' (it has \(names.joined(separator: ", ")))")
            }
            chosen = chosen.filter { wanted.contains(loaded.splits.splits[$0].name) }
        }
        let parts = chosen.map { loaded.splits.splits[$0].data }
        guard let first = parts.first, parts.contains(where: { $0.count > 0 }) else {
            throw SplitError.emptySource("\(source) holds no decodable samples")
        }
        if parts.count == 1 {  // nothing to pool: share the decoded buffer instead of copying it
            return (ImageDataset(height: first.height, width: first.width, channels: first.channels, storage: first.storage,
                                 labels: first.labels, classNames: first.classNames),
                    loaded.origins[chosen[0]], loaded.sourceHashes[chosen[0]])
        }
        for part in parts {
            guard part.classNames == first.classNames, part.height == first.height, part.width == first.width, part.channels == first.channels else {
                throw DataPrepError.inconsistent(path: source, reason: "its splits differ in shape or classes and cannot be pooled; choose one with --from")
            }
        }
        // Splits spilled one after another in one file pool without a copy; others are copied
        // into a spill file when streaming.
        let storage = try PixelStorage.concatenating(parts.map(\.storage), spillingInto: spillDirectory)
        let data = ImageDataset(height: first.height, width: first.width, channels: first.channels, storage: storage,
                                labels: parts.flatMap(\.labels), classNames: first.classNames)
        return (data, SampleOrigins.concatenating(chosen.map { loaded.origins[$0] }),
                SampleDigests.concatenating(chosen.map { loaded.sourceHashes[$0] }))
    }
}
