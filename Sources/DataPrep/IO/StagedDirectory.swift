internal import CSys
#if canImport(Glibc)
import Glibc
#endif

/// An output folder built in a hidden sibling and moved into place only when complete, so an
/// interrupted run never leaves a half-written dataset at the path the user named.
///
/// Staging lives next to the destination (same file system, so the final step is a rename):
/// `PARENT/.NAME.partial-PID`. `commit()` renames it to `NAME`, or, when `NAME` already holds an
/// earlier output, swaps the two atomically (`renameat2(RENAME_EXCHANGE)`) and then deletes the
/// old one. Leftover stagings of dead processes are removed the next time.
public struct StagedDirectory: Sendable {
    public let finalPath: String
    public let stagingPath: String
    /// Asked again at `commit()`: files that appeared at `finalPath` during a long write are
    /// never swapped out and deleted.
    private let replaceable: @Sendable (String) -> Bool

    /// Prepares a staging folder for `finalPath`.
    ///
    /// - Parameter replaceable: whether an existing non-empty folder at `finalPath` may be
    ///   replaced (e.g. it holds a `dataset.json` of an earlier run). Anything else there is
    ///   refused rather than deleted: we never lose the user's files.
    public init(finalPath requested: String, replaceable: @escaping @Sendable (String) -> Bool) throws {
        let trimmed = requested.count > 1 && requested.hasSuffix("/") ? String(requested.dropLast()) : requested
        try StagedDirectory.checkReplaceable(trimmed, replaceable)
        let parent = StagedDirectory.parent(of: trimmed), name = lastPathComponent(trimmed)
        try FileIO.makeDirectories(parent)
        StagedDirectory.removeStale(in: parent, name: name)
        finalPath = trimmed
        self.replaceable = replaceable
        stagingPath = joinPath(parent, ".\(name).partial-\(getpid())")
        if FileIO.exists(stagingPath) { try FileIO.removeTree(stagingPath) }
        try FileIO.makeDirectories(stagingPath)
    }

    /// Moves the finished folder into place (atomically replacing an earlier output).
    public func commit() throws {
        try StagedDirectory.checkReplaceable(finalPath, replaceable)
        try FileIO.syncDirectoryTree(stagingPath)
        if FileIO.exists(finalPath) {
            if csys_rename_exchange(stagingPath, finalPath) == 0 {
                try FileIO.removeTree(stagingPath)  // now holds the old output
            } else {
                // File systems without RENAME_EXCHANGE: move the old one aside first; a crash
                // in between leaves no folder at `finalPath`, never a partial one.
                let aside = stagingPath + "-old"
                guard rename(finalPath, aside) == 0 else { throw DataPrepError.io(path: finalPath, reason: errnoText()) }
                guard rename(stagingPath, finalPath) == 0 else { throw DataPrepError.io(path: finalPath, reason: errnoText()) }
                try FileIO.removeTree(aside)
            }
        } else {
            guard rename(stagingPath, finalPath) == 0 else { throw DataPrepError.io(path: finalPath, reason: errnoText()) }
        }
        try FileIO.syncDirectory(StagedDirectory.parent(of: finalPath))
    }

    /// Throws unless `path` is absent, an empty folder, or a folder `replaceable` accepts.
    private static func checkReplaceable(_ path: String, _ replaceable: (String) -> Bool) throws {
        guard FileIO.exists(path) else { return }
        guard FileIO.isDirectory(path) else {
            throw DataPrepError.io(path: path, reason: "exists and is not a folder; choose another --out")
        }
        guard try FileIO.listAll(path).isEmpty || replaceable(path) else {
            throw DataPrepError.io(path: path, reason: "folder is not empty and was not written by dataprep; refusing to replace it (choose another --out)")
        }
    }

    /// Deletes the staging folder (after a failure).
    public func discard() { try? FileIO.removeTree(stagingPath) }

    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// Removes `.NAME.partial-PID` folders whose process no longer runs.
    static func removeStale(in parent: String, name: String) {
        let prefix = ".\(name).partial-"
        guard let entries = try? FileIO.listAll(parent) else { return }
        for entry in entries where entry.hasPrefix(prefix) {
            let pidText = entry.dropFirst(prefix.count).prefix { $0.isNumber }
            guard let pid = Int32(pidText) else { continue }
            if pid != getpid() && kill(pid, 0) != 0 && errno == ESRCH {
                try? FileIO.removeTree(joinPath(parent, entry))
            }
        }
    }
}

extension FileIO {
    /// Every entry of a folder including hidden ones, byte-ordered.
    public static func listAll(_ path: String) throws -> [String] {
        guard let dir = opendir(path) else { throw DataPrepError.io(path: path, reason: errnoText()) }
        defer { closedir(dir) }
        var names: [String] = []
        let nameOffset = MemoryLayout<dirent>.offset(of: \dirent.d_name)!
        while let entry = readdir(dir) {
            let name = String(cString: (UnsafeRawPointer(entry) + nameOffset).assumingMemoryBound(to: CChar.self))
            if name == "." || name == ".." { continue }
            names.append(name)
        }
        return names.sorted(by: byteOrder)
    }

    /// Deletes `path` and everything below it; symlinks are removed, never followed.
    public static func removeTree(_ path: String) throws {
        var st = stat()
        guard lstat(path, &st) == 0 else {
            if errno == ENOENT { return }
            throw DataPrepError.io(path: path, reason: errnoText())
        }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            for entry in try listAll(path) { try removeTree(joinPath(path, entry)) }
            guard rmdir(path) == 0 else { throw DataPrepError.io(path: path, reason: errnoText()) }
        } else {
            guard unlink(path) == 0 else { throw DataPrepError.io(path: path, reason: errnoText()) }
        }
    }

    /// fsyncs `path` and every folder below it (symlinks not followed), so each name created in
    /// the tree, including sub-folders made by `mkdir`, survives a power loss.
    public static func syncDirectoryTree(_ path: String) throws {
        for entry in try listAll(path) {
            let child = joinPath(path, entry)
            var st = stat()
            if lstat(child, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR { try syncDirectoryTree(child) }
        }
        try syncDirectory(path)
    }

    /// fsyncs a folder so the names created in it survive a power loss.
    public static func syncDirectory(_ path: String) throws {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw DataPrepError.io(path: path, reason: errnoText()) }
        defer { close(fd) }
        _ = fsync(fd)
    }
}
