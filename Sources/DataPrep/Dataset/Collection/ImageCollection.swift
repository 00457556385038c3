/// A labelled collection of image files — a folder or a `.zip` — listed but not yet decoded.
///
/// Listing is cheap and deterministic (sorted at every level, hidden entries skipped); decoding
/// happens per item, so callers choose the colour mode and size and can run it in parallel.
public struct ImageCollection: Sendable {
    public enum Location: Sendable, Equatable {
        case folder(String)
        case zip(String)
    }

    public let location: Location
    public let layout: CollectionLayout
    /// Class names in byte order, index = label.
    public let classNames: [String]
    /// Splits in folder order (`all` when the source has none).
    public let splits: [(name: String, items: [CollectionItem])]
    /// Files passed over while listing (non-images, unlabeled folders), with reasons.
    public let skipped: [SkippedFile]
    /// The part of `skipped` that looks like an image but cannot be read as one (a FIFO, a
    /// folder named `cat.1.jpg`, a name past `PATH_MAX`, …; see `FolderListing`): `--strict`
    /// fails on these, where a stray `README.txt` is only reported.
    public let unusable: [SkippedFile]
    private let zip: ZipArchive?
    private let zipEntries: [String: ArchiveEntry]

    public var path: String {
        switch location {
        case let .folder(p), let .zip(p): return p
        }
    }

    /// Lists a folder of images. Throws `.notADataset` when no layout fits.
    public init(folder: String) throws {
        let listing = try FolderListing(folder: folder)
        let plan = try CollectionPlan.make(files: listing.files, root: folder)
        self.init(location: .folder(folder), plan: plan, unusable: listing.unusable, zip: nil, entries: [:])
    }

    /// Lists a `.zip` of images (e.g. Kaggle's `train.zip`) without extracting it.
    public init(zip path: String) throws {
        let archive = try ZipArchive(path: path)
        var entries: [String: ArchiveEntry] = [:]
        var unusable: [SkippedFile] = []
        for entry in archive.entries where entry.kind != .directory {
            let components = entry.path.split(separator: "/")
            if components.contains(where: FileTree.isHidden) { continue }
            if entry.kind != .file {
                unusable.append(SkippedFile(path: entry.path, reason: "stored as a \(entry.kind == .other ? "special file" : "\(entry.kind)"), not a file"))
            } else if let reason = CollectionPlan.unusableName(lastPathComponent(entry.path)) {
                unusable.append(SkippedFile(path: entry.path, reason: reason))
            } else {
                entries[entry.path] = entry
            }
        }
        let plan = try CollectionPlan.make(files: Array(entries.keys), root: path)
        self.init(location: .zip(path), plan: plan, unusable: unusable, zip: archive, entries: entries)
    }

    private init(location: Location, plan: CollectionPlan, unusable: [SkippedFile], zip: ZipArchive?, entries: [String: ArchiveEntry]) {
        self.location = location
        self.layout = plan.layout
        self.classNames = plan.classNames
        self.splits = plan.splits
        self.unusable = unusable.map { SkippedFile(path: Self.display(location, $0.path), reason: $0.reason) }
        self.skipped = plan.skipped.map { SkippedFile(path: Self.display(location, $0.path), reason: $0.reason) } + self.unusable
        self.zip = zip
        self.zipEntries = entries
    }

    /// Number of images over all splits.
    public var count: Int { splits.reduce(0) { $0 + $1.items.count } }

    /// The name errors and reports use: `folder/rel/path` or `archive.zip:rel/path`.
    public func displayName(of item: CollectionItem) -> String { Self.display(location, item.path) }

    /// What every `displayName` starts with (`folder/` or `archive.zip:`), shared by the
    /// compact `SampleOrigins` of a load.
    var displayPrefix: String { Self.display(location, "") }

    /// The file's bytes, read from the folder or inflated from the zip.
    public func bytes(of item: CollectionItem) throws -> [UInt8] {
        switch location {
        case let .folder(root):
            return try FileIO.read(joinPath(root, item.path))
        case let .zip(archive):
            guard let zip, let entry = zipEntries[item.path] else {
                throw DataPrepError.io(path: archive + ":" + item.path, reason: "no such member")
            }
            return try zip.contents(of: entry)
        }
    }

    private static func display(_ location: Location, _ relative: String) -> String {
        switch location {
        case let .folder(root): return joinPath(root, relative)
        case let .zip(archive): return archive + ":" + relative
        }
    }

    /// In strict mode, the first `unusable` entry as an error.
    /// - Throws: `.unsupported` naming the entry and why it cannot be read.
    public func checkStrict() throws {
        if let first = unusable.first {
            throw DataPrepError.unsupported(path: first.path, reason: first.reason + " (--strict)")
        }
    }
}
