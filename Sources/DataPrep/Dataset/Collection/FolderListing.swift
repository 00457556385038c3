#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The files of a photo folder, walked once: regular files (and symlinks to them) become
/// candidates for the collection; everything that looks like an image but cannot be one is
/// reported with its reason instead of being opened or silently dropped.
///
/// Reported, never opened: FIFOs, sockets and devices (opening a FIFO waits forever for a
/// writer); broken symlinks; names that are not valid UTF-8 (a `String` cannot hold them, so
/// the file could not be reopened by name; shown with `\xNN` escapes); paths longer than
/// `PATH_MAX`, which `open` refuses; folders named like an image (`cat.1.jpg/`), and names
/// whose extension only matches after trimming trailing whitespace (`cat.1.jpg `).
/// These are `unusable`: `--strict` fails on them. Hidden entries and `__MACOSX` stay skipped
/// without a report, as before.
struct FolderListing {
    /// Relative paths of regular files, `/`-separated.
    var files: [String] = []
    /// Entries reported with a reason (relative paths; folders end in `/`).
    var unusable: [SkippedFile] = []

    /// `PATH_MAX` of Linux and macOS-compatible systems: longer paths cannot be opened by name.
    static let pathMax = Int(PATH_MAX)

    init(folder: String) throws {
        try walk(folder, relative: "")
    }

    private mutating func walk(_ folder: String, relative: String) throws {
        for raw in try FileIO.listRawNames(folder) {
            guard let name = String(validating: raw, as: UTF8.self) else {
                let shown = (relative.isEmpty ? "" : relative + "/") + DisplayText.escapedBytes(raw)
                unusable.append(SkippedFile(path: shown, reason: "file name is not valid UTF-8"))
                continue
            }
            if FileTree.isHidden(Substring(name)) { continue }
            let full = joinPath(folder, name)
            let rel = relative.isEmpty ? name : relative + "/" + name
            guard full.utf8.count < Self.pathMax else {
                unusable.append(SkippedFile(path: rel, reason: "path is \(full.utf8.count) bytes, longer than PATH_MAX (\(Self.pathMax)); it cannot be opened"))
                continue
            }
            var st = stat()
            guard stat(full, &st) == 0 else {
                var link = stat()
                let reason = errno == ENOENT && lstat(full, &link) == 0 ? "broken symbolic link" : errnoText()
                unusable.append(SkippedFile(path: rel, reason: reason))
                continue
            }
            switch st.st_mode & S_IFMT {
            case S_IFDIR:
                if CollectionPlan.isImage(name) {
                    unusable.append(SkippedFile(path: rel + "/", reason: "a folder named like an image file, not an image"))
                } else {
                    try walk(full, relative: rel)
                }
            case S_IFREG:
                if let reason = CollectionPlan.unusableName(name) {
                    unusable.append(SkippedFile(path: rel, reason: reason))
                } else {
                    files.append(rel)
                }
            case let type:
                unusable.append(SkippedFile(path: rel, reason: "not a regular file (\(FileIO.kindName(type)))"))
            }
        }
    }
}

extension CollectionPlan {
    /// Why a file name that nearly names an image cannot be used, or nil: an extension that
    /// matches only after trimming trailing whitespace (`cat.1.jpg `, `x.png\t`).
    static func unusableName(_ name: String) -> String? {
        var trimmed = Substring(name)
        while let last = trimmed.last, last.isWhitespace { trimmed = trimmed.dropLast() }
        guard trimmed.count < name.count, isImage(String(trimmed)) else { return nil }
        let extensionText = trimmed[trimmed.index(after: trimmed.lastIndex(of: ".")!)...]
        return "name has \(name.count - trimmed.count) whitespace character(s) after its extension '.\(extensionText)': not read as an image"
    }
}

extension FileIO {
    /// Every entry name of a folder as raw bytes (no `.`/`..`), byte-ordered: names that are
    /// not UTF-8 survive, unlike `listDirectory`, which repairs them.
    static func listRawNames(_ path: String) throws -> [[UInt8]] {
        guard let dir = opendir(path) else { throw DataPrepError.io(path: path, reason: errnoText()) }
        defer { closedir(dir) }
        var names: [[UInt8]] = []
        let nameOffset = MemoryLayout<dirent>.offset(of: \dirent.d_name)!
        while let entry = readdir(dir) {
            let start = (UnsafeRawPointer(entry) + nameOffset).assumingMemoryBound(to: UInt8.self)
            let name = Array(UnsafeBufferPointer(start: start, count: strlen(UnsafeRawPointer(start).assumingMemoryBound(to: CChar.self))))
            if name == [0x2E] || name == [0x2E, 0x2E] { continue }
            names.append(name)
        }
        return names.sorted { $0.lexicographicallyPrecedes($1) }
    }
}
