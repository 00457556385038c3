/// A folder tree built from relative paths, each level's names kept sorted in byte order.
struct FileTree {
    /// File names directly in this folder, sorted.
    var files: [String] = []
    /// Subfolders by name.
    var folders: [String: FileTree] = [:]

    init() {}

    init(paths: [String]) {
        for path in paths {
            insert(path.split(separator: "/").map(String.init)[...])
        }
        sortRecursively()
    }

    private mutating func insert(_ components: ArraySlice<String>) {
        guard let first = components.first else { return }
        if components.count == 1 {
            files.append(first)
        } else {
            folders[first, default: FileTree()].insert(components.dropFirst())
        }
    }

    private mutating func sortRecursively() {
        files.sort(by: byteOrder)
        for key in folders.keys { folders[key]!.sortRecursively() }
    }

    /// Every file below this folder as a relative path: this level's files first, then each
    /// subfolder in name order (sorted at every level).
    func allFiles() -> [String] {
        var out = files
        for name in folders.keys.sorted(by: byteOrder) {
            out += folders[name]!.allFiles().map { name + "/" + $0 }
        }
        return out
    }

    /// Whether a path component should be skipped: hidden entries and macOS zip metadata.
    static func isHidden(_ component: Substring) -> Bool { component.hasPrefix(".") || component == "__MACOSX" }
}
