/// How an image collection tells each file's class, decided from the file tree alone.
///
/// Rules, in order (each tree level sorted, hidden entries and `__MACOSX` already dropped):
/// 1. Images directly in the root named `label.N.ext` (Kaggle's `cat.123.jpg`): one split `all`,
///    the label is the name's prefix.
/// 2. Subfolders whose own files are Kaggle-named (Kaggle's `train.zip` holds `train/cat.0.jpg`):
///    each such subfolder is a split; unlabeled ones (Kaggle's `test1/1.jpg`) are reported.
/// 3. Subfolders all named like splits (`train`, `val`, `validation`, `valid`, `test`, `dev`)
///    that themselves hold class folders: `split/class/...`, classes merged across splits.
/// 4. Otherwise each subfolder is a class (Keras's `image_dataset_from_directory`), images found
///    at any depth below it; one split `all`.
/// Before these, a single folder wrapping everything (`PetImages/{Cat,Dog}`) is descended into.
public enum CollectionLayout: String, Sendable, Codable {
    case kaggleNamed = "kaggle-named"
    case kaggleSplits = "kaggle-named-splits"
    case splitFolders = "split-class-folders"
    case classFolders = "class-folders"
}

/// A file passed over while listing or decoding, and why: nothing is dropped silently.
public struct SkippedFile: Sendable, Equatable, Codable {
    public let path: String
    public let reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }
}

/// One image of a collection: where it is (relative to the collection root) and its class.
public struct CollectionItem: Sendable, Equatable {
    public let path: String
    public let label: Int32
}

/// The result of classifying a file tree.
struct CollectionPlan: Equatable {
    var layout: CollectionLayout
    var classNames: [String]
    var splits: [(name: String, items: [CollectionItem])]
    var skipped: [SkippedFile]

    static func == (lhs: CollectionPlan, rhs: CollectionPlan) -> Bool {
        lhs.layout == rhs.layout && lhs.classNames == rhs.classNames && lhs.skipped == rhs.skipped
            && lhs.splits.map(\.name) == rhs.splits.map(\.name) && lhs.splits.map(\.items) == rhs.splits.map(\.items)
    }

    static let splitNames: Set<String> = ["train", "val", "valid", "validation", "test", "dev"]
    static let imageExtensions: Set<String> = ["jpg", "jpeg", "png"]

    static func isImage(_ name: String) -> Bool {
        guard let dot = name.lastIndex(of: ".") else { return false }
        return imageExtensions.contains(name[name.index(after: dot)...].lowercased())
    }

    /// The class in a Kaggle-style name `label.N.ext`, or nil.
    static func kaggleLabel(_ name: String) -> String? {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, !parts[1].isEmpty, parts[1].allSatisfy(\.isASCII),
              parts[1].allSatisfy(\.isNumber), isImage(name) else { return nil }
        return String(parts[0])
    }

    /// Classifies `files` (relative paths, `/`-separated, hidden entries already removed).
    ///
    /// A single folder wrapping the dataset is descended through first (Microsoft's
    /// cats-and-dogs zip holds `PetImages/Cat/` and `PetImages/Dog/` beside a readme and a
    /// licence): without this, `PetImages` became the only class.
    static func make(files: [String], root: String) throws -> CollectionPlan {
        let tree = FileTree(paths: files)
        guard let wrapper = singleWrapper(tree) else { return try classify(tree, root: root) }
        let prefix = wrapper + "/"
        let inner = try make(files: files.filter { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) },
                             root: joinPath(root, wrapper))
        let rootFiles = tree.files.map { SkippedFile(path: $0, reason: "not a JPEG or PNG file") }
        return CollectionPlan(
            layout: inner.layout, classNames: inner.classNames,
            splits: inner.splits.map { ($0.name, $0.items.map { CollectionItem(path: prefix + $0.path, label: $0.label) }) },
            skipped: rootFiles + inner.skipped.map { SkippedFile(path: prefix + $0.path, reason: $0.reason) })
    }

    /// The name of the one folder that wraps everything, or nil: the root has no images and
    /// exactly one folder, which holds no images itself but has subfolders and is not named
    /// like a split (`train/cat/…` keeps its split name; Kaggle's `train/cat.0.jpg` is rule 2).
    static func singleWrapper(_ tree: FileTree) -> String? {
        guard tree.folders.count == 1, !tree.files.contains(where: isImage), let (name, inner) = tree.folders.first,
              !splitNames.contains(name.lowercased()), !inner.files.contains(where: isImage), !inner.folders.isEmpty else { return nil }
        return name
    }

    /// `make` for a tree without a wrapping folder.
    private static func classify(_ tree: FileTree, root: String) throws -> CollectionPlan {
        var skipped: [SkippedFile] = []
        let rootImages = tree.files.filter(isImage)
        let rootKaggle = rootImages.filter { kaggleLabel($0) != nil }

        if !rootKaggle.isEmpty {
            for file in tree.files where kaggleLabel(file) == nil {
                skipped.append(SkippedFile(path: file, reason: isImage(file) ? "name does not say its class (expected label.N.ext)" : "not a JPEG or PNG file"))
            }
            for dir in tree.folders.keys.sorted(by: byteOrder) {
                skipped.append(SkippedFile(path: dir + "/", reason: "folder ignored: images here are labelled by file name"))
            }
            return kagglePlan(layout: .kaggleNamed, splits: [(name: "all", prefix: "", files: rootKaggle)], skipped: skipped)
        }
        guard !tree.folders.isEmpty else {
            throw DataPrepError.notADataset(path: root, reason: rootImages.isEmpty
                ? "no JPEG or PNG images found"
                : "images are neither named label.N.ext nor sorted into class folders")
        }
        for file in tree.files {
            skipped.append(SkippedFile(path: file, reason: isImage(file) ? "image outside any class folder" : "not a JPEG or PNG file"))
        }
        let folderNames = tree.folders.keys.sorted(by: byteOrder)

        let kaggleFolders = folderNames.filter { tree.folders[$0]!.files.contains { kaggleLabel($0) != nil } }
        if !kaggleFolders.isEmpty {
            var splits: [(name: String, prefix: String, files: [String])] = []
            for name in folderNames {
                let sub = tree.folders[name]!
                if kaggleFolders.contains(name) {
                    splits.append((name: name, prefix: name + "/", files: sub.files.filter { kaggleLabel($0) != nil }))
                    for file in sub.files where kaggleLabel(file) == nil {
                        skipped.append(SkippedFile(path: name + "/" + file, reason: isImage(file) ? "name does not say its class (expected label.N.ext)" : "not a JPEG or PNG file"))
                    }
                } else {
                    skipped.append(SkippedFile(path: name + "/", reason: "no file here is named label.N.ext: unlabeled, skipped"))
                }
            }
            return kagglePlan(layout: .kaggleSplits, splits: splits, skipped: skipped)
        }

        let isSplitLayout = folderNames.allSatisfy { splitNames.contains($0.lowercased()) && !tree.folders[$0]!.folders.isEmpty }
        if isSplitLayout {
            let classNames = Set(folderNames.flatMap { tree.folders[$0]!.folders.keys }).sorted(by: byteOrder)
            var splits: [(name: String, items: [CollectionItem])] = []
            for split in folderNames {
                let sub = tree.folders[split]!
                for file in sub.files {
                    skipped.append(SkippedFile(path: split + "/" + file, reason: "file outside any class folder"))
                }
                splits.append((split, classItems(sub, prefix: split + "/", classNames: classNames, skipped: &skipped)))
            }
            return CollectionPlan(layout: .splitFolders, classNames: classNames, splits: splits, skipped: skipped)
        }

        let items = classItems(tree, prefix: "", classNames: folderNames, skipped: &skipped)
        return CollectionPlan(layout: .classFolders, classNames: folderNames, splits: [("all", items)], skipped: skipped)
    }

    /// Items of every class folder below `node`, in class order then path order.
    private static func classItems(_ node: FileTree, prefix: String, classNames: [String], skipped: inout [SkippedFile]) -> [CollectionItem] {
        var items: [CollectionItem] = []
        for (label, name) in classNames.enumerated() {
            guard let folder = node.folders[name] else { continue }
            for file in folder.allFiles() {
                if isImage(file) {
                    items.append(CollectionItem(path: prefix + name + "/" + file, label: Int32(label)))
                } else {
                    skipped.append(SkippedFile(path: prefix + name + "/" + file, reason: "not a JPEG or PNG file"))
                }
            }
        }
        return items
    }

    /// Builds splits whose labels come from Kaggle-style names, with class names shared by all splits.
    private static func kagglePlan(layout: CollectionLayout, splits: [(name: String, prefix: String, files: [String])],
                                   skipped: [SkippedFile]) -> CollectionPlan {
        let classNames = Set(splits.flatMap { $0.files.compactMap(kaggleLabel) }).sorted(by: byteOrder)
        let index = Dictionary(uniqueKeysWithValues: classNames.enumerated().map { ($1, Int32($0)) })
        return CollectionPlan(layout: layout, classNames: classNames, splits: splits.map { split in
            (split.name, split.files.map { CollectionItem(path: split.prefix + $0, label: index[kaggleLabel($0)!]!) })
        }, skipped: skipped)
    }
}

/// Byte-wise string order: the same on every machine and locale.
func byteOrder(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }
