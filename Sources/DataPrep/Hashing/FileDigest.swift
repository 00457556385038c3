#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The MD5 and SHA-256 of a file on disk, computed in one streaming pass.
public struct FileDigest: Sendable, Equatable {
    /// Lowercase hex MD5 (32 digits).
    public let md5: String
    /// Lowercase hex SHA-256 (64 digits).
    public let sha256: String
    /// Bytes hashed (the file's size when it was read).
    public let byteCount: Int

    /// Reads `path` in 1 MiB chunks, so a 170 MB archive is never held in memory.
    /// - Throws: `DataPrepError.io` naming the OS's reason.
    public init(ofFileAt path: String) throws {
        let (fd, _) = try FileIO.openRegularFile(path)
        defer { close(fd) }
        var md5 = MD5(), sha = SHA256()
        var total = 0
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { chunk.deallocate() }
        while true {
            let n = read(fd, chunk.baseAddress!, chunk.count)
            if n < 0 {
                if errno == EINTR { continue }
                throw DataPrepError.io(path: path, reason: String(cString: strerror(errno)))
            }
            if n == 0 { break }
            let part = UnsafeRawBufferPointer(rebasing: chunk[0..<n])
            md5.update(part)
            sha.update(part)
            total += n
        }
        self.md5 = MD5.hex(md5.finalize())
        self.sha256 = SHA256.hex(sha.finalize())
        self.byteCount = total
    }
}
