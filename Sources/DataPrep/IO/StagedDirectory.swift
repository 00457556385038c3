internal import CSys
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An output folder built in a hidden sibling and moved into place only when complete, so an
/// interrupted run never leaves a half-written dataset at the path the user named.
///
/// Staging lives next to the destination (same file system, so the final step is a rename):
/// `PARENT/.NAME.partial-PID-RANDOM`, beside its lock file `….lock`. `commit()` checks the
/// staged tree is complete, then renames it to `NAME`, or, when `NAME` already holds an earlier
/// output, swaps the two atomically (`renameat2(RENAME_EXCHANGE)`) and then deletes the old one.
///
/// Leftover stagings of dead runs are removed the next time, and "dead" is decided by the lock,
/// not the PID: the owner holds `flock(LOCK_EX)` on the lock file for its whole life, the kernel
/// drops it when the process dies however it dies, and a staging folder is deleted only by whoever
/// then takes that lock. A PID says nothing across PID namespaces (a container, another NFS
/// client: `kill(pid, 0)` there reported a live writer dead, its folder was deleted mid-write and
/// a dataset without its `x.npy` files was committed with exit 0). Leftovers named the old way
/// (`.NAME.partial-PID`, no lock file) are still judged by their PID: that is all they record.
public struct StagedDirectory: Sendable {
    public let finalPath: String
    public let stagingPath: String
    /// Asked again at `commit()`: files that appeared at `finalPath` during a long write are
    /// never swapped out and deleted.
    private let replaceable: @Sendable (String) -> Bool
    private let lock: StagingLock

    /// Prepares a staging folder for `finalPath`.
    ///
    /// - Parameter replaceable: whether an existing non-empty folder at `finalPath` may be
    ///   replaced (e.g. it is a complete earlier output of the same command:
    ///   `SplitOutput.isReplaceable`). Anything else there is refused rather than deleted: we
    ///   never lose the user's files.
    public init(finalPath requested: String, replaceable: @escaping @Sendable (String) -> Bool) throws {
        let trimmed = requested.count > 1 && requested.hasSuffix("/") ? String(requested.dropLast()) : requested
        try StagedDirectory.checkReplaceable(trimmed, replaceable)
        let parent = StagedDirectory.parent(of: trimmed), name = lastPathComponent(trimmed)
        try FileIO.makeDirectories(parent)
        StagedDirectory.removeStale(in: parent, name: name)
        finalPath = trimmed
        self.replaceable = replaceable
        var random = SystemRandomNumberGenerator()
        let staging = joinPath(parent, ".\(name).partial-\(getpid())-\(String(random.next() & 0xffff_ffff, radix: 16))")
        // Lock first, folder second: whoever sees the folder also sees it locked.
        lock = try StagingLock(path: staging + StagingLock.suffix)
        stagingPath = staging
        do { try FileIO.makeDirectories(stagingPath) } catch { lock.remove(); throw error }
        ActiveStagings.shared.insert(stagingPath)
    }

    /// Moves the finished folder into place (atomically replacing an earlier output).
    ///
    /// - Parameter verify: called with the staging path before anything is renamed; throws if
    ///   the staged output is incomplete (e.g. `SplitOutput.verifyComplete`), and then nothing is
    ///   committed.
    public func commit(verify: (String) throws -> Void = { _ in }) throws {
        try StagedDirectory.checkReplaceable(finalPath, replaceable)
        try verify(stagingPath)
        try FileIO.syncDirectoryTree(stagingPath)
        // From here a signal must not delete the folder being renamed: the old output may be in
        // it after the exchange. An interrupted commit leaves a leftover for the next run.
        ActiveStagings.shared.remove(stagingPath)
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
        lock.remove()
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
    public func discard() {
        ActiveStagings.shared.remove(stagingPath)
        try? FileIO.removeTree(stagingPath)
        lock.remove()
    }

    /// Deletes every staging folder of this process not yet committed or discarded: what a
    /// SIGINT/SIGTERM handler calls before the process dies (safe from any thread). Returns the
    /// folders removed.
    @discardableResult
    public static func discardAllActive() -> [String] {
        let paths = ActiveStagings.shared.drain()
        for path in paths {
            // A writer thread may still be creating files in it: retry until it is gone.
            for _ in 0..<5 where FileIO.exists(path) { try? FileIO.removeTree(path) }
            unlink(path + StagingLock.suffix)
        }
        return paths
    }

    /// The folder holding `path` (`.` for a bare name): where its staging folder is made.
    public static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// Removes `.NAME.partial-…` folders (and lock files) whose owner is gone: a lock file we
    /// can lock, or for lock-less legacy names a PID that no longer runs here.
    static func removeStale(in parent: String, name: String) {
        let prefix = ".\(name).partial-"
        guard let entries = try? FileIO.listAll(parent) else { return }
        var stagings = Set<String>()
        for entry in entries where entry.hasPrefix(prefix) {
            var base = entry
            if base.hasSuffix(StagingLock.suffix) { base.removeLast(StagingLock.suffix.count) }
            if base.hasSuffix("-old") { base.removeLast(4) }
            stagings.insert(base)
        }
        for base in stagings.sorted() {
            let id = base.dropFirst(prefix.count)
            let folder = joinPath(parent, base)
            if id.allSatisfy(\.isNumber) {
                // Legacy: `.NAME.partial-PID` from a version without lock files. Our own PID
                // cannot be its owner (this version never makes such names).
                guard let pid = Int32(id), pid == getpid() || (kill(pid, 0) != 0 && errno == ESRCH) else { continue }
            } else if !StagingLock.isAbandoned(folder + StagingLock.suffix) {
                continue
            }
            try? FileIO.removeTree(folder)
            try? FileIO.removeTree(folder + "-old")
            unlink(folder + StagingLock.suffix)
        }
    }
}

/// The lock file beside a staging folder, held (`flock(LOCK_EX)`) as long as this object lives.
final class StagingLock: Sendable {
    static let suffix = ".lock"
    let path: String
    private let fd: Int32

    init(path: String) throws {
        fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw DataPrepError.io(path: path, reason: errnoText()) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let reason = errnoText()
            close(fd); unlink(path)
            throw DataPrepError.io(path: path, reason: "cannot lock the staging folder: \(reason)")
        }
        self.path = path
    }

    /// Deletes the lock file (the lock itself goes when the descriptor closes).
    func remove() { unlink(path) }

    deinit { close(fd) }

    /// Whether nobody holds the lock at `path`: true only if we could take it ourselves. A
    /// missing lock file means the owner is still creating or already removing it: not ours.
    static func isAbandoned(_ path: String) -> Bool {
        let fd = open(path, O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return flock(fd, LOCK_EX | LOCK_NB) == 0
    }
}

/// Staging folders of this process that a signal handler should delete.
final class ActiveStagings: @unchecked Sendable {
    static let shared = ActiveStagings()
    private let lock = NSLock()
    private var paths: Set<String> = []

    func insert(_ path: String) { lock.lock(); paths.insert(path); lock.unlock() }
    func remove(_ path: String) { lock.lock(); paths.remove(path); lock.unlock() }
    func drain() -> [String] {
        lock.lock(); defer { lock.unlock() }
        let all = paths.sorted()
        paths = []
        return all
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
