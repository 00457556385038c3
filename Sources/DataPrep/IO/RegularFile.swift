#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension FileIO {
    /// Opens `path` for reading only if it is a regular file, returning the descriptor and its
    /// size.
    ///
    /// Opened with `O_NONBLOCK` and checked with `fstat` before any read: a plain `open` of a
    /// FIFO waits forever for a writer (a named pipe in a photo folder hung `info` and `split`),
    /// and a device or socket never ends. `O_NONBLOCK` is cleared again for the regular file,
    /// where it has no effect anyway. Symlinks are followed, as everywhere else.
    /// - Throws: `DataPrepError.io` with the OS's reason, `"is a directory"`, or
    ///   `"not a regular file (a FIFO)"` naming the kind.
    static func openRegularFile(_ path: String) throws -> (fd: Int32, size: Int) {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { throw DataPrepError.io(path: path, reason: errnoText()) }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            let reason = errnoText()
            close(fd)
            throw DataPrepError.io(path: path, reason: reason)
        }
        let type = st.st_mode & S_IFMT
        guard type == S_IFREG else {
            close(fd)
            throw DataPrepError.io(path: path, reason: type == S_IFDIR ? "is a directory" : "not a regular file (\(kindName(type)))")
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        return (fd, Int(st.st_size))
    }

    /// What a non-regular `st_mode & S_IFMT` is, in words.
    static func kindName(_ type: mode_t) -> String {
        switch type {
        case S_IFIFO: return "a FIFO"
        case S_IFSOCK: return "a socket"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFDIR: return "a folder"
        case S_IFLNK: return "a symbolic link"
        default: return "file type \(String(type, radix: 8))"
        }
    }
}
