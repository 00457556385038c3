#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Files written in place by several processes at once, each its own byte range: the arrays of a
/// dataset folder shared by the ranks of an MPI job (`DatasetWriter.stage`, `writeArrays`).
/// Only inside a `StagedDirectory`, whose commit is what makes the folder visible: a file there
/// need not be atomic by itself, and a rank's range cannot be a temp file renamed over the others'.
extension FileIO {
    /// Creates `path` (it must not exist) holding `header` and sized to `header + dataBytes`
    /// bytes (zeros until the writers fill their ranges), and fsyncs it.
    public static func createSized(_ path: String, header: [UInt8], dataBytes: Int) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw DataPrepError.io(path: path, reason: errnoText()) }
        defer { close(fd) }
        try header.withUnsafeBytes { try writeFully(fd, $0, at: 0, path: path) }
        guard ftruncate(fd, off_t(header.count + dataBytes)) == 0, fsync(fd) == 0 else {
            throw DataPrepError.io(path: path, reason: errnoText())
        }
    }

    /// Writes the pieces `contents` hands to `write`, one after another from byte `offset` of
    /// the existing file `path`, then fsyncs it. The file is never created here: a writer whose
    /// folder was deleted (a failed job's staging) gets an error, not a stray file.
    public static func writeInPlace(_ path: String, at offset: Int,
                                    contents: (_ write: (UnsafeRawBufferPointer) throws -> Void) throws -> Void) throws {
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw DataPrepError.io(path: path, reason: errnoText()) }
        defer { close(fd) }
        var position = offset
        try contents { buffer in
            try writeFully(fd, buffer, at: position, path: path)
            position += buffer.count
        }
        guard fsync(fd) == 0 else { throw DataPrepError.io(path: path, reason: errnoText()) }
    }

    /// `buffer` written whole at `offset` (`pwrite`), or appended at the descriptor's position
    /// when `offset` is nil, retrying short writes and EINTR.
    static func writeFully(_ fd: Int32, _ buffer: UnsafeRawBufferPointer, at offset: Int?, path: String) throws {
        var done = 0
        while done < buffer.count {
            let n = offset.map { pwrite(fd, buffer.baseAddress! + done, buffer.count - done, off_t($0 + done)) }
                ?? write(fd, buffer.baseAddress! + done, buffer.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw DataPrepError.io(path: path, reason: errnoText())
            }
            done += n
        }
    }
}
