#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A whole regular file mapped read-only (`mmap(PROT_READ, MAP_PRIVATE)`), unmapped when the
/// last reference goes.
///
/// Why a map and not a read: the pages of a mapping belong to the page cache, which the kernel
/// fills on first touch and drops under pressure; they are never anonymous memory the process
/// owns. A 190 GB `x.npy` can then be trained on by a process whose resident anonymous memory
/// stays a few batches wide, and two runs on the same file share one cached copy.
///
/// The descriptor is closed right after mapping (the mapping keeps the file alive). A file
/// truncated by someone else after mapping makes a read of the lost pages raise SIGBUS: outputs
/// are written atomically (temp + rename), so a writer never truncates a file a reader maps.
public final class MappedFile: @unchecked Sendable {
    public let path: String
    /// Bytes mapped: the file's size when it was opened.
    public let count: Int
    /// Start of the mapping; nil for an empty file (mmap refuses a length of 0).
    private let base: UnsafeRawPointer?

    /// Maps `path`.
    /// - Throws: `DataPrepError.io` naming the OS's reason when it cannot be opened (or is not a
    ///   regular file: `FileIO.openRegularFile`) or mapped.
    public convenience init(path: String) throws {
        let (fd, size) = try FileIO.openRegularFile(path)
        defer { close(fd) }
        try self.init(descriptor: fd, count: size, path: path)
    }

    /// Maps the first `count` bytes of the open file `descriptor` (which the caller still owns
    /// and may close); `path` names it in errors. How a `SpillFile`, already unlinked, is read.
    init(descriptor fd: Int32, count size: Int, path: String) throws {
        self.path = path
        count = size
        guard size > 0 else { base = nil; return }
        let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0)
        guard let address, address != MAP_FAILED else { throw DataPrepError.io(path: path, reason: "mmap: \(errnoText())") }
        #if canImport(Glibc)
        // Batches visit samples in a shuffled order: read-ahead of neighbouring pages would mostly
        // fetch samples the batch does not need (MADV_RANDOM); the kernel still reads each page once.
        madvise(address, size, MADV_RANDOM)
        #endif
        base = UnsafeRawPointer(address)
    }

    deinit { if let base { munmap(UnsafeMutableRawPointer(mutating: base), count) } }

    /// Calls `body` with the file's bytes (valid only during the call).
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }
}
