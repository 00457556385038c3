/// An official CIFAR-10 / CIFAR-100 binary distribution: the extracted folder
/// (`cifar-10-batches-bin/`, `cifar-100-binary/`) or the `.tar.gz` as downloaded.
///
/// The archive is read by streaming (`TarReader`): each batch is decoded as it passes and never
/// written to disk, so `cifar-10-binary.tar.gz` needs no extraction step.
public struct CIFARSource: Sendable {
    public enum Location: Sendable, Equatable {
        case folder(String)
        case archive(String)
    }

    public let location: Location
    /// Known for folders; for archives it is read from the member names while loading.
    public let variant: CIFARVariant?

    public var path: String {
        switch location {
        case let .folder(p), let .archive(p): return p
        }
    }

    /// Recognises an extracted CIFAR folder (or a folder whose only child is one), else nil.
    public init?(folder: String) {
        var folder = folder
        guard var entries = try? FileIO.listDirectory(folder) else { return nil }
        if entries.count == 1, let only = entries.first, CIFARVariant.allCases.map(\.archiveFolder).contains(only),
           FileIO.isDirectory(joinPath(folder, only)), let inner = try? FileIO.listDirectory(joinPath(folder, only)) {
            folder = joinPath(folder, only)
            entries = inner
        }
        if entries.contains(where: { $0.hasPrefix("data_batch_") && $0.hasSuffix(".bin") }) || entries.contains("test_batch.bin") {
            variant = .cifar10
        } else if entries.contains("train.bin") || entries.contains("test.bin") {
            variant = .cifar100
        } else {
            return nil
        }
        location = .folder(folder)
    }

    /// A `.tar` / `.tar.gz` to stream; whether it is CIFAR is decided by its members on load.
    public init(archive: String) {
        location = .archive(archive)
        variant = nil
    }

    /// Decodes the train and test splits (whichever are present), with class names from the
    /// meta files or, when those are missing, the official tables.
    public func load() throws -> SplitDataset { try loadReportingAbsent().data }

    /// `load()`, plus the official batch files of splits that are wholly absent (a test-only
    /// folder, or an archive that lost `test_batch.bin`): the caller reports them, and
    /// `--strict` refuses them, rather than quietly training on what is left.
    ///
    /// - Parameter spillDirectory: nil decodes into memory; a folder streams each batch (read
    ///   from the folder or straight out of the archive) `chunkBytes` at a time, transposed to
    ///   HWC, into one unlinked `SpillFile` there, and hands the splits back mapped read-only,
    ///   train then test end to end (`SpillLayout`): the load's anonymous memory is a chunk and
    ///   the labels. Same samples either way.
    public func loadReportingAbsent(spillDirectory: String? = nil,
                                    chunkBytes: Int = SpillFile.defaultChunkBytes) throws -> (data: SplitDataset, absent: [SkippedFile]) {
        var members = CIFARMembers(spill: try spillDirectory.map { try SpillFile(directory: $0) }, chunkBytes: chunkBytes)
        switch location {
        case let .folder(folder):
            let variant = self.variant ?? .cifar10
            for name in try CIFARSource.members(of: folder, variant: variant) {
                let path = joinPath(folder, name)
                if members.spill != nil, !CIFARSource.isMetaFile(name) {
                    try members.add(batch: name, file: path, variant: variant)
                } else {
                    try members.add(name: name, bytes: FileIO.read(path), displayName: path, variant: variant)
                }
            }
            return (try members.assemble(variant: variant, source: folder), members.absent(variant: variant, source: folder))
        case let .archive(archive):
            var reader = try TarReader(path: archive)
            var variant: CIFARVariant?
            try reader.streamMembers(wants: CIFARSource.isWanted) { entry, read in
                let base = lastPathComponent(entry.path)
                let member = CIFARSource.variant(ofMember: base)
                guard entry.kind == .file else {
                    // A link, sparse file (GNU 'S') or volume label ('V') has no bytes we read:
                    // skipping it silently gave a train split 10,000 records short.
                    throw DataPrepError.unsupported(path: archive + ":" + entry.path,
                                                    reason: "the CIFAR member is stored as a \(CIFARSource.describe(entry.kind)), not a regular file; its records cannot be read")
                }
                if let member, let seen = variant, member != seen {
                    throw DataPrepError.inconsistent(
                        path: archive, reason: "holds both \(seen.rawValue) and \(member.rawValue) batch files (\(entry.path))")
                }
                variant = variant ?? member
                try members.add(name: base, size: entry.size, displayName: archive + ":" + entry.path, variant: member ?? .cifar10, read: read)
            }
            guard let found = variant else {
                throw DataPrepError.notADataset(
                    path: archive, reason: "no CIFAR batch files (data_batch_N.bin, test_batch.bin, train.bin, test.bin) in the archive")
            }
            return (try members.assemble(variant: found, source: archive), members.absent(variant: found, source: archive + ":"))
        }
    }

    /// The batch and meta files `folder` holds, in official order (train batches, test, meta),
    /// so spilled splits lie end to end and every reader meets them in the same order.
    static func members(of folder: String, variant: CIFARVariant) throws -> [String] {
        let present = Set(try FileIO.listDirectory(folder))
        return (variant.trainFiles + variant.testFiles + metaFiles).filter(present.contains)
    }

    /// An archive member a CIFAR reader reads: a batch or meta file by its base name (links and
    /// other kinds included, so they are refused by name rather than passed over).
    static func isWanted(_ entry: ArchiveEntry) -> Bool {
        let base = lastPathComponent(entry.path)
        return entry.kind != .directory && (variant(ofMember: base) != nil || isMetaFile(base))
    }

    static func variant(ofMember name: String) -> CIFARVariant? {
        if CIFARVariant.cifar10.trainFiles.contains(name) || CIFARVariant.cifar10.testFiles.contains(name) { return .cifar10 }
        if CIFARVariant.cifar100.trainFiles.contains(name) || CIFARVariant.cifar100.testFiles.contains(name) { return .cifar100 }
        return nil
    }

    static func describe(_ kind: ArchiveEntry.Kind) -> String {
        switch kind {
        case .symlink: return "symbolic link"
        case .hardlink: return "hard link"
        case .directory: return "folder"
        case .file: return "file"
        case .other: return "special tar member (sparse, volume label, device or FIFO)"
        }
    }

    static let metaFiles = ["batches.meta.txt", "coarse_label_names.txt", "fine_label_names.txt"]

    static func isMetaFile(_ name: String) -> Bool { metaFiles.contains(name) }
}

/// Batches and meta files collected from a folder or an archive, assembled in official order.
struct CIFARMembers {
    /// A batch's labels and its HWC pixels: in memory, or the range `window` of `spill`.
    private struct Part {
        var labels: CIFARLabels
        var pixels: [UInt8] = []
        var window: Range<Int>?
    }

    private var batches: [String: Part] = [:]
    private var meta: [String: [String]] = [:]
    private var metaSource: [String: String] = [:]
    /// Where batches are streamed to; nil decodes them in memory.
    let spill: SpillFile?
    let chunkBytes: Int

    init(spill: SpillFile? = nil, chunkBytes: Int = SpillFile.defaultChunkBytes) {
        self.spill = spill
        self.chunkBytes = chunkBytes
    }

    mutating func add(name: String, bytes: [UInt8], displayName: String, variant: CIFARVariant) throws {
        if CIFARSource.isMetaFile(name) {
            meta[name] = CIFARClassNames.parse(bytes)
            metaSource[name] = displayName
        } else {
            let batch = try CIFARBatch(bytes: bytes, name: displayName, variant: variant)
            batches[name] = Part(labels: CIFARLabels(checked: batch, variant: variant), pixels: batch.pixels)
        }
    }

    /// A member of `size` bytes delivered by `read`: streamed into `spill` when it is a batch
    /// and there is one, else read whole (meta files are a few hundred bytes).
    mutating func add(name: String, size: Int, displayName: String, variant: CIFARVariant,
                      read: (UnsafeMutableRawBufferPointer) throws -> Int) throws {
        guard let spill, !CIFARSource.isMetaFile(name) else {
            let bytes = try [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
                count = try read(UnsafeMutableRawBufferPointer(buffer))
            }
            try add(name: name, bytes: bytes, displayName: displayName, variant: variant)
            return
        }
        let start = spill.count
        let labels = try CIFARBatch.spill(size: size, name: displayName, variant: variant, read: read, into: spill, chunkBytes: chunkBytes)
        batches[name] = Part(labels: labels, window: start..<spill.count)
    }

    /// The batch file at `path`, streamed into `spill`.
    mutating func add(batch name: String, file path: String, variant: CIFARVariant) throws {
        guard let spill else { preconditionFailure("CIFARMembers.add(batch:file:) needs a spill file") }
        let start = spill.count
        let labels = try CIFARBatch.spill(file: path, variant: variant, into: spill, chunkBytes: chunkBytes)
        batches[name] = Part(labels: labels, window: start..<spill.count)
    }

    /// The files of every split none of whose batches were found, as skipped entries.
    func absent(variant: CIFARVariant, source: String) -> [SkippedFile] {
        [("train", variant.trainFiles), ("test", variant.testFiles)].flatMap { split, files -> [SkippedFile] in
            guard files.allSatisfy({ batches[$0] == nil }) else { return [] }
            let prefix = source.hasSuffix(":") ? source : source + "/"
            return files.map { SkippedFile(path: prefix + $0, reason: "missing: the \(variant.rawValue) \(split) split is absent (a complete download has it)") }
        }
    }

    func assemble(variant: CIFARVariant, source: String) throws -> SplitDataset {
        let fine = try names(variant == .cifar10 ? "batches.meta.txt" : "fine_label_names.txt",
                             fallback: variant == .cifar10 ? CIFARClassNames.cifar10 : CIFARClassNames.cifar100Fine)
        let coarse = variant == .cifar100 ? try names("coarse_label_names.txt", fallback: CIFARClassNames.cifar100Coarse) : nil
        var found: [(name: String, parts: [Part])] = []
        for (split, files) in [("train", variant.trainFiles), ("test", variant.testFiles)] {
            let parts = files.compactMap { batches[$0] }
            guard !parts.isEmpty else { continue }
            // A split with some of its batches is a damaged copy, never a smaller dataset: it
            // used to load 40,000 train records without a word when data_batch_3.bin was absent.
            // (A split with none, e.g. a test-only folder, is still read as what it is.)
            let missing = files.filter { batches[$0] == nil }
            guard missing.isEmpty else {
                throw DataPrepError.inconsistent(
                    path: source, reason: "\(variant.rawValue) \(split) split is incomplete: \(missing.joined(separator: ", ")) "
                        + "missing (\(parts.count) of \(files.count) batches found); re-download or re-extract the archive")
            }
            found.append((split, parts))
        }
        let storages = try spill.map { spill in
            try SpillLayout.storages(found.map { $0.parts.compactMap(\.window) }, of: spill)
        } ?? found.map { PixelStorage($0.parts.flatMap(\.pixels)) }
        let splits = zip(found, storages).map { split, storage in
            (name: split.name, data: ImageDataset(
                height: 32, width: 32, channels: 3, storage: storage, labels: split.parts.flatMap(\.labels.fine), classNames: fine,
                coarseLabels: coarse == nil ? nil : split.parts.flatMap { $0.labels.coarse ?? [] }, coarseClassNames: coarse))
        }
        guard !splits.isEmpty else {
            throw DataPrepError.notADataset(path: source, reason: "no \(variant.rawValue) batch files found")
        }
        return SplitDataset(splits: splits)
    }

    /// The names from a meta file, which must list exactly as many classes as the format has.
    private func names(_ file: String, fallback: [String]) throws -> [String] {
        guard let names = meta[file] else { return fallback }
        guard names.count == fallback.count else {
            throw DataPrepError.inconsistent(path: metaSource[file] ?? file,
                                             reason: "lists \(names.count) class names, the format has \(fallback.count)")
        }
        return names
    }
}
