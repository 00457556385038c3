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
    private let zip: ZipArchive?
    private let zipEntries: [String: ArchiveEntry]

    public var path: String {
        switch location {
        case let .folder(p), let .zip(p): return p
        }
    }

    /// Lists a folder of images. Throws `.notADataset` when no layout fits.
    public init(folder: String) throws {
        let files = try Self.walk(folder, relative: "")
        let plan = try CollectionPlan.make(files: files, root: folder)
        self.init(location: .folder(folder), plan: plan, zip: nil, entries: [:])
    }

    /// Lists a `.zip` of images (e.g. Kaggle's `train.zip`) without extracting it.
    public init(zip path: String) throws {
        let archive = try ZipArchive(path: path)
        var entries: [String: ArchiveEntry] = [:]
        for entry in archive.entries where entry.kind == .file {
            let components = entry.path.split(separator: "/")
            if components.contains(where: FileTree.isHidden) { continue }
            entries[entry.path] = entry
        }
        let plan = try CollectionPlan.make(files: Array(entries.keys), root: path)
        self.init(location: .zip(path), plan: plan, zip: archive, entries: entries)
    }

    private init(location: Location, plan: CollectionPlan, zip: ZipArchive?, entries: [String: ArchiveEntry]) {
        self.location = location
        self.layout = plan.layout
        self.classNames = plan.classNames
        self.splits = plan.splits
        self.skipped = plan.skipped.map { SkippedFile(path: Self.display(location, $0.path), reason: $0.reason) }
        self.zip = zip
        self.zipEntries = entries
    }

    /// Number of images over all splits.
    public var count: Int { splits.reduce(0) { $0 + $1.items.count } }

    /// The name errors and reports use: `folder/rel/path` or `archive.zip:rel/path`.
    public func displayName(of item: CollectionItem) -> String { Self.display(location, item.path) }

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

    /// Relative paths of every non-hidden file below `folder`.
    private static func walk(_ folder: String, relative: String) throws -> [String] {
        var out: [String] = []
        for name in try FileIO.listDirectory(folder) where !FileTree.isHidden(Substring(name)) {
            let full = joinPath(folder, name)
            let rel = relative.isEmpty ? name : relative + "/" + name
            if FileIO.isDirectory(full) {
                out += try walk(full, relative: rel)
            } else {
                out.append(rel)
            }
        }
        return out
    }
}
