/// `dataprep merge-cifar` as a library call: CIFAR-10 plus the fine classes of one CIFAR-100
/// superclass, appended as labels 10, 11, … — the users' fine-tuning experiment.
///
/// Train and test are merged separately (a test image never moves to train). CIFAR-10 keeps
/// its labels and its records' order in test; the merged train split is shuffled with the seed
/// (after optional balancing), so a reader that batches without shuffling still sees every
/// class in every batch.
public struct CIFARMerge: Sendable {
    /// `--balance`: what to do about the 10:1 imbalance (5000 vs 500 training images per class).
    public enum Balance: String, CaseIterable, Codable, Sendable {
        /// Every class keeps as many training images as the smallest has (seeded choice).
        case undersample
        /// Every class is brought up to the largest by repeating its images (whole copies
        /// first, then a seeded choice for the remainder), so no image repeats more than
        /// once more than any other of its class.
        case oversample
    }

    public var cifar10: String
    public var cifar100: String
    public var superclass: CIFARSuperclass
    /// Fine labels chosen (a subset of the superclass's, ascending).
    public var fineLabels: [Int]
    public var balance: Balance?
    public var seed: UInt64
    public var threads: Int
    /// Recorded in the manifest.
    public var command: String
    /// How `relabel(by:)` maps the merged classes; nil keeps them.
    public private(set) var relabeling: ClassRelabeling?
    /// Where decoded pixels wait: nil holds both sources and the merged splits in memory; a
    /// folder (the output's parent, as for `split`) streams both sources into unlinked spill
    /// files there and gathers the merged train and test, end to end, into another, all mapped
    /// read-only: anonymous memory then holds a chunk, the labels and the digests, never the
    /// pixels. The output bytes are the same.
    public var spillDirectory: String?
    /// Shares the hashing of both inputs' records (the manifest's `sha256`, the cost of a
    /// merge) with other processes, the ranks of an MPI job (`DecodeSharing`): every process
    /// reads both inputs and hashes its contiguous share of each chunk of records, and the
    /// process that keeps samples collects the digests. One that keeps none calls `hashShares()`
    /// instead of `prepare()`. Nil hashes everything here.
    public var decodeSharing: (any DecodeSharing)?

    public init(cifar10: String, cifar100: String, superclass: String, classes: [String]? = nil, balance: Balance? = nil,
                seed: UInt64, threads: Int = Parallel.defaultThreads, command: String = "") throws(MergeError) {
        self.cifar10 = cifar10; self.cifar100 = cifar100
        self.superclass = try CIFARSuperclass(superclass)
        fineLabels = try self.superclass.selecting(classes)
        self.balance = balance; self.seed = seed; self.threads = threads; self.command = command
    }

    /// The merged class names: CIFAR-10's ten, then the chosen fine classes.
    public var mergedClassNames: [String] { CIFARClassNames.cifar10 + fineLabels.map { CIFARClassNames.cifar100Fine[$0] } }

    /// The output's classes: the merged ones, or the new ones of a class map.
    public var classNames: [String] { relabeling?.classNames ?? mergedClassNames }

    /// Relabels the merged classes (`--map`, keys naming merged classes or labels 0-14) before
    /// balancing and shuffling; the manifest keeps each sample's merged class as its original.
    public mutating func relabel(by map: ClassMap) throws(ClassMapError) {
        relabeling = try map.resolved(against: mergedClassNames)
    }

    /// Decodes both inputs and builds the merged splits; nothing is written.
    public func prepare() throws -> SplitJob.Result {
        let (ten, hundred) = try loadInputs()
        var plans: [MergedSplits.Plan] = []
        var manifest: [ManifestTable.Split] = [], sources: [ManifestTable.Source] = []
        for name in ["train", "test"] {
            let (a, aIndex) = try split(name, of: ten, path: cifar10)
            let (b, bIndex) = try split(name, of: hundred, path: cifar100)
            var picks: [Pick] = []
            for i in 0..<a.count { addPick(&picks, fromHundred: false, index: i, merged: Int(a.labels[i])) }
            for i in 0..<b.count {
                if let k = fineLabels.firstIndex(of: Int(b.labels[i])) { addPick(&picks, fromHundred: true, index: i, merged: 10 + k) }
            }
            if name == "train" {
                if let balance { picks = balanced(picks, balance) }
                var generator = SeededGenerator(seed: seed, stream: StreamPurpose.balance, epoch: 1)
                generator.shuffle(&picks)
            }
            plans.append(MergedSplits.Plan(name: name, sources: [a, b], samples: picks.map { ($0.fromHundred ? 1 : 0, $0.index) },
                                           labels: picks.map { Int32($0.label) }))
            // Each row names its input's split (CIFAR-10's, then CIFAR-100's) and its record there.
            let base = UInt8(sources.count)
            sources += [(ten, aIndex, "cifar10:"), (hundred, bIndex, "cifar100:")].map { loaded, index, tag in
                ManifestTable.Source(tag: tag, origins: loaded.origins[index], digests: loaded.sourceHashes[index])
            }
            manifest.append(ManifestTable.Split(name: name, indices: picks.map(\.index), sources: picks.map { base + ($0.fromHundred ? 1 : 0) },
                                                labels: picks.map { Int32($0.label) },
                                                originalLabels: relabeling == nil ? nil : picks.map { Int32($0.merged) }))
        }
        let splits = try MergedSplits.gather(plans, classNames: classNames, spillDirectory: spillDirectory)
        let table = ManifestTable(sources: sources, splits: manifest, classNames: classNames,
                                  originalClassNames: relabeling == nil ? nil : mergedClassNames)
        let prepared = PreparedDataset(splits: splits, classNames: classNames, normalization: nil, manifest: table, seed: seed,
                                       command: command, source: cifar10 + " + " + cifar100, classMap: relabeling)
        return SplitJob.Result(prepared: prepared, report: try summary(of: prepared, format: "\(ten.format) + \(hundred.format)"))
    }

    /// A process's part of a shared merge (`decodeSharing`) when it keeps no samples: reads
    /// both inputs and hashes its shares of their records, walking the collector's chunks.
    public func hashShares() throws { _ = try loadInputs() }

    /// Both inputs decoded, checked and hashed (the hashing shared when `decodeSharing` is set).
    /// With sharing, every process reads and checks the inputs and learns whether any failed
    /// (`DecodeSharing.agree`), so an error they all meet is reported once.
    private func loadInputs() throws -> (ten: LoadedDataset, hundred: LoadedDataset) {
        var options = LoadedDataset.Options(threads: threads, hashSources: decodeSharing == nil)
        options.memoryCopies = 4  // each source, the merged splits, the npy encoding
        if let spillDirectory {
            // Spilled: each source and the merged splits (about as large) live on disk.
            options.spillDirectory = spillDirectory
            options.spillCopies = 2
        }
        func load() throws -> (ten: LoadedDataset, hundred: LoadedDataset) {
            let ten = try LoadedDataset.load(path: cifar10, options: options)
            let hundred = try LoadedDataset.load(path: cifar100, options: options)
            try check(ten, path: cifar10, expected: "CIFAR-10 (10 classes)") { $0.classNames.count == 10 && $0.coarseLabels == nil }
            try check(hundred, path: cifar100, expected: "CIFAR-100 (100 fine classes with superclasses)") {
                $0.classNames.count == 100 && $0.coarseLabels != nil
            }
            return (ten, hundred)
        }
        guard let decodeSharing else { return try load() }
        func hashed(_ loaded: LoadedDataset) throws -> LoadedDataset {
            var result = loaded
            result.sourceHashes = try loaded.splits.splits.map { try $0.data.sampleHashes(threads: threads, sharing: decodeSharing) }
            return result
        }
        let (ten, hundred) = try decodeSharing.agree(load)
        return (try hashed(ten), try hashed(hundred))
    }

    /// One merged sample: which input, which record, its merged label (0-14) and output label.
    private struct Pick { var fromHundred: Bool; var index: Int; var merged: Int; var label: Int }

    /// Appends the sample unless the class map drops its class.
    private func addPick(_ picks: inout [Pick], fromHundred: Bool, index: Int, merged: Int) {
        let mapped = relabeling == nil ? merged : relabeling?.labels[merged]
        guard let label = mapped else { return }
        picks.append(Pick(fromHundred: fromHundred, index: index, merged: merged, label: label))
    }

    private func check(_ loaded: LoadedDataset, path: String, expected: String, _ isRight: (ImageDataset) -> Bool) throws {
        guard let first = loaded.splits.splits.first?.data, isRight(first), first.height == 32, first.width == 32, first.channels == 3 else {
            let found = loaded.splits.splits.first.map { "\(loaded.format) with \($0.data.classNames.count) classes" } ?? loaded.format
            throw MergeError.wrongDataset(path: path, expected: expected, found: found)
        }
    }

    private func split(_ name: String, of loaded: LoadedDataset, path: String) throws -> (ImageDataset, Int) {
        guard let index = loaded.splits.splits.firstIndex(where: { $0.name == name }) else {
            throw MergeError.missingSplit(path: path, split: name, has: loaded.splits.splits.map(\.name))
        }
        return (loaded.splits.splits[index].data, index)
    }

    private func balanced(_ picks: [Pick], _ balance: Balance) -> [Pick] {
        var byClass = [[Pick]](repeating: [], count: classNames.count)
        for pick in picks { byClass[pick.label].append(pick) }
        let present = byClass.filter { !$0.isEmpty }.map(\.count)
        guard let target = balance == .undersample ? present.min() : present.max() else { return picks }
        var out: [Pick] = []
        for (label, members) in byClass.enumerated() where !members.isEmpty {
            var generator = SeededGenerator(seed: seed, stream: StreamPurpose.balance, epoch: 0, index: label)
            var order = members
            generator.shuffle(&order)
            out += Array(repeating: members, count: target / members.count).flatMap { $0 }
            out += order.prefix(target % members.count)
        }
        return out
    }

    private func summary(of prepared: PreparedDataset, format: String) throws -> SplitSummary {
        // Exact duplicates between the merged train and test are leakage worth reporting.
        let all = prepared.splits.map(\.data)
        // Spilled splits lie end to end in one file: pooled in place, not copied.
        let pooled = ImageDataset(height: all[0].height, width: all[0].width, channels: all[0].channels,
                                  storage: PixelStorage.contiguous(all.map(\.storage)) ?? PixelStorage(all.flatMap(\.pixels)),
                                  labels: all.flatMap(\.labels), classNames: classNames)
        let duplicates = try DuplicateGroups.find(in: pooled, threads: threads)
        let plan = SplitPlan(splits: [Array(0..<all[0].count), Array(all[0].count..<pooled.count)], names: ["train", "test"],
                             shortClasses: [])
        let crossing = duplicates.crossing(plan)
        let origins = prepared.manifest.map(\.source)
        var report = SplitSummary(
            output: "", seed: seed, format: format, classNames: classNames,
            splits: prepared.splits.map { .init(name: $0.name, count: $0.data.count, histogram: $0.data.classHistogram) },
            duplicateGroups: duplicates.groups.count, duplicatesAcrossSplits: crossing.count,
            duplicatesWithConflictingLabels: duplicates.conflicting(labels: pooled.labels).count, duplicatesRemoved: 0,
            duplicateExamples: crossing.prefix(5).map { $0.map { origins[$0] } }, shortClasses: [], skipped: [], normalization: nil)
        let train = prepared.splits[0].data.classHistogram
        for split in prepared.splits {
            let empty = split.data.classHistogram.indices.filter { split.data.classHistogram[$0] == 0 }
            if !empty.isEmpty {
                report.notes.append("warning: no \(split.name) images for \(empty.map { classNames[$0] }.joined(separator: ", "))")
            }
        }
        if let most = train.max(), let least = train.filter({ $0 > 0 }).min(), least < most {
            let ratio = Double(most) / Double(least)
            report.notes.append("imbalance: train has \(most) images in its largest class and \(least) in its smallest "
                                + "(\(formatRatio(ratio)):1); pass --balance undersample|oversample to even it out")
        } else if let balance {
            report.notes.append("train balanced by \(balance.rawValue): \(train.first ?? 0) images per class")
        }
        return report
    }

    private func formatRatio(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}
