internal import CSys
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A temporary file that holds decoded pixels on disk instead of in the process's memory:
/// written once, sequentially, then mapped read-only (`MappedFile`, `PixelStorage`).
///
/// Why: `split` of a million photos would otherwise hold every decoded pixel in anonymous
/// memory (several copies). A mapped file's pages belong to the page cache, which the kernel
/// writes back and drops under pressure, so the resident anonymous memory stays a few chunks
/// wide whatever the dataset's size.
///
/// The file is unlinked right after it is created: only the open descriptor (and later the
/// mapping) keeps it alive, so it disappears when the process ends however it ends (SIGKILL
/// included) and there is never a leftover to clean up. It is created in a folder the caller
/// chooses (beside the output, on the disk that will hold the output anyway).
public final class SpillFile: @unchecked Sendable {
    /// The folder the file lives in (for error messages; the file itself has no name).
    public let directory: String
    /// Pixels decoded or gathered per step before they are appended (32 MiB): what bounds a
    /// spilling command's anonymous memory, large enough that each `write` is cheap.
    public static let defaultChunkBytes = 32 << 20
    /// Bytes appended so far.
    public private(set) var count = 0
    private let fd: Int32
    private var label: String { joinPath(directory, "(dataprep spill file)") }

    /// Creates an empty file in `directory` that has no name: an unnamed `O_TMPFILE` where the
    /// file system supports it (nothing a kill could leave behind), else one made by `mkstemp`
    /// and unlinked at once.
    /// - Throws: `DataPrepError.io` naming the folder and the OS's reason.
    public init(directory: String) throws {
        self.directory = directory
        let unnamed = csys_open_unnamed(directory)
        if unnamed >= 0 {
            self.fd = unnamed
            return
        }
        var template = Array(joinPath(directory, ".dataprep-spill-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw DataPrepError.io(path: directory, reason: "cannot create a temporary file: \(errnoText())") }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        self.fd = fd
    }

    deinit { close(fd) }

    /// The parent folder of `output` (a folder about to be written), made if absent: where its
    /// spill files go, on the disk that will hold the output anyway.
    public static func directory(beside output: String) throws -> String {
        let trimmed = output.count > 1 && output.hasSuffix("/") ? String(output.dropLast()) : output
        let parent = StagedDirectory.parent(of: trimmed)
        try FileIO.makeDirectories(parent)
        return parent
    }

    /// Appends `bytes` at the end of the file.
    /// - Throws: `DataPrepError.io` (e.g. "No space left on device").
    public func append(_ bytes: UnsafeRawBufferPointer) throws {
        var done = 0
        while done < bytes.count {
            let n = write(fd, bytes.baseAddress! + done, bytes.count - done)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw DataPrepError.io(path: label, reason: "write: \(errnoText())") }
            done += n
        }
        count += bytes.count
    }

    /// The bytes written so far, mapped read-only (further appends are not visible in it).
    public func mapped() throws -> MappedFile {
        try MappedFile(descriptor: fd, count: count, path: label)
    }

    /// Bytes free for an unprivileged writer on the file system holding `directory`, or nil when
    /// `statvfs` cannot tell.
    public static func freeSpace(in directory: String) -> Int? {
        var info = statvfs()
        guard statvfs(directory, &info) == 0 else { return nil }
        let (bytes, overflow) = Int(info.f_bavail).multipliedReportingOverflow(by: Int(info.f_frsize))
        return overflow ? .max : bytes
    }

    /// Throws `.insufficientDisk` when `directory`'s file system has less than `needed` bytes
    /// free (`what` explains the arithmetic). No check when the space cannot be read.
    public static func checkSpace(in directory: String, needed: Int, what: String) throws {
        guard let free = freeSpace(in: directory), needed > free else { return }
        throw DataPrepError.insufficientDisk(path: directory, needed: needed, available: free, detail: what)
    }
}
