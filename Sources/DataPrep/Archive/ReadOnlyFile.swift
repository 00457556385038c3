#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An open file read by position (`pread`), shared by the archive readers.
///
/// Positional reads keep no cursor, so one instance can serve several threads at once (a
/// `ZipArchive` decoding members in parallel); the descriptor is closed when the last reference
/// goes. The size is taken once at open: every header field is checked against it before any
/// read or allocation, which is what stops a lying header from asking for gigabytes.
///
/// `init(bytes:name:)` serves the same reads from memory, so the archive readers can be driven
/// by bytes already in hand (the fuzz targets run them millions of times without touching disk).
final class ReadOnlyFile: Sendable {
    let path: String
    let size: Int
    /// -1 for an in-memory file.
    private let fd: Int32
    private let memory: [UInt8]

    init(path: String) throws {
        let (fd, size) = try FileIO.openRegularFile(path)
        self.path = path
        self.fd = fd
        self.size = size
        memory = []
    }

    /// A "file" whose contents are `bytes`; `name` stands for the path in errors.
    init(bytes: [UInt8], name: String) {
        path = name
        fd = -1
        size = bytes.count
        memory = bytes
    }

    deinit { if fd >= 0 { close(fd) } }

    /// Reads up to `dest.count` bytes at `offset`; fewer only where the file ends.
    func read(into dest: UnsafeMutableRawBufferPointer, at offset: Int) throws -> Int {
        if fd < 0 {
            let count = min(dest.count, max(0, size - offset))
            guard count > 0 else { return 0 }
            memory.withUnsafeBytes { dest.baseAddress!.copyMemory(from: $0.baseAddress! + offset, byteCount: count) }
            return count
        }
        var done = 0
        while done < dest.count {
            let n = pread(fd, dest.baseAddress! + done, dest.count - done, off_t(offset + done))
            if n < 0 {
                if errno == EINTR { continue }
                throw DataPrepError.io(path: path, reason: errnoText())
            }
            if n == 0 { break }
            done += n
        }
        return done
    }

    /// Exactly `count` bytes at `offset`, or `.truncated` naming where the file ends.
    /// Callers have bounded `count` by `size` already, so this never allocates on a header's say-so.
    func bytes(at offset: Int, count: Int) throws -> [UInt8] {
        guard count > 0 else { return [] }
        var got = 0
        let result = try [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            got = try read(into: UnsafeMutableRawBufferPointer(buffer), at: offset)
            initialized = got
        }
        guard got == count else { throw DataPrepError.truncated(path: path, expected: offset + count, found: offset + got) }
        return result
    }
}
