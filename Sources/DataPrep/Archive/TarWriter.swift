internal import CArchive

/// Builds a tar archive in memory through libarchive's writer, deterministically: the same
/// members give the same bytes on every machine (mtime 0, uid/gid 0, empty owner names, fixed
/// modes), so fixtures and exported archives can be checked by hash.
///
/// The default format is libarchive's restricted pax (`archive_write_set_format_pax_restricted`):
/// a plain ustar header whenever the member fits one (a name over 100 bytes is split into the
/// ustar prefix when a `/` allows it), a pax extended header (`path=`) otherwise, including for
/// non-ASCII names, which every tar since 2001 reads (Python's `tarfile` included), so no name
/// is ever rejected. `LongNames` can ask for full pax or GNU 'L' records per member, to produce
/// the variants a reader must handle. Names are written as given, unchecked, so tests can build
/// hostile archives; readers validate them.
public struct TarWriter {
    /// How a member's header is written.
    public enum LongNames: Sendable {
        /// Restricted pax: ustar, with a pax record only when a field does not fit.
        case automatic
        /// libarchive's full pax format for this member.
        case pax
        /// GNU tar format for this member: a `././@LongLink` 'L' member for a name over 100 bytes.
        case gnu
    }

    private var bytes: [UInt8] = []

    public init() {}

    /// Adds a regular file.
    public mutating func addFile(path: String, bytes data: [UInt8], mode: Int = 0o644, longNames: LongNames = .automatic) {
        bytes += Self.member(path: path, kind: 0o100000, mode: mode, data: data, format: longNames)
    }

    /// Adds a directory entry (written as `path/`).
    public mutating func addDirectory(path: String, mode: Int = 0o755) {
        bytes += Self.member(path: path.hasSuffix("/") ? path : path + "/", kind: 0o040000, mode: mode, data: [], format: .automatic)
    }

    /// Adds a symbolic link to `target`.
    public mutating func addSymlink(path: String, target: String) {
        bytes += Self.member(path: path, kind: 0o120000, mode: 0o777, data: [], symlink: target, format: .automatic)
    }

    /// Adds a hard link to the earlier member `target`.
    public mutating func addHardlink(path: String, target: String) {
        bytes += Self.member(path: path, kind: 0o100000, mode: 0o644, data: [], hardlink: target, format: .automatic)
    }

    /// The archive: the members, then the two zero blocks that end it.
    public func finish() -> [UInt8] {
        bytes + Self.end
    }

    /// The members added since the last call, leaving the writer empty: an archive too large
    /// to hold is streamed as these pieces followed by `TarWriter.end` (the same bytes as
    /// `finish()` of one writer given every member).
    public mutating func takeMembers() -> [UInt8] {
        defer { bytes = [] }
        return bytes
    }

    /// The two zero blocks that end an archive (libarchive's own close would also pad the
    /// archive to a 10 KiB record; the pieces are joined by us, so we end it ourselves).
    public static var end: [UInt8] { [UInt8](repeating: 0, count: 1024) }

    /// One member's header(s), data and padding, as libarchive writes them.
    private static func member(path: String, kind: UInt32, mode: Int, data: [UInt8], symlink: String? = nil,
                               hardlink: String? = nil, format: LongNames) -> [UInt8] {
        let sink = Sink()
        guard let writer = archive_write_new(), let entry = archive_entry_new() else { preconditionFailure("libarchive: out of memory") }
        defer { archive_entry_free(entry) }
        switch format {
        case .automatic: archive_write_set_format_pax_restricted(writer)
        case .pax: archive_write_set_format_pax(writer)
        case .gnu: archive_write_set_format_gnutar(writer)
        }
        archive_write_set_bytes_per_block(writer, 0)   // unblocked: the bytes come as written
        let opened = archive_write_open(writer, Unmanaged.passUnretained(sink).toOpaque(), nil, { _, data, buffer, count in
            let sink = Unmanaged<Sink>.fromOpaque(data!).takeUnretainedValue()
            if !sink.closing { sink.bytes += UnsafeRawBufferPointer(start: buffer, count: count) }
            return count
        }, nil)
        precondition(opened == ARCHIVE_OK, "archive_write_open: \(message(writer))")
        LibArchiveReader.withUTF8Locale {
            archive_entry_copy_pathname(entry, path)
            archive_entry_set_filetype(entry, kind)
            archive_entry_set_perm(entry, mode_t(mode))
            archive_entry_set_size(entry, Int64(data.count))
            archive_entry_set_mtime(entry, 0, 0)
            archive_entry_set_uid(entry, 0)
            archive_entry_set_gid(entry, 0)
            if let symlink { archive_entry_copy_symlink(entry, symlink) }
            if let hardlink { archive_entry_copy_hardlink(entry, hardlink); archive_entry_set_size(entry, 0) }
            let status = archive_write_header(writer, entry)
            precondition(status == ARCHIVE_OK, "libarchive refused tar member '\(path)': \(message(writer))")
            if !data.isEmpty {
                let written = data.withUnsafeBytes { archive_write_data(writer, $0.baseAddress, $0.count) }
                precondition(written == data.count, "libarchive wrote \(written) of \(data.count) bytes of '\(path)': \(message(writer))")
            }
            precondition(archive_write_finish_entry(writer) == ARCHIVE_OK, "libarchive: \(message(writer))")
        }
        sink.closing = true   // what close writes (the end blocks) is not this member's
        archive_write_free(writer)
        return sink.bytes
    }

    private static func message(_ writer: OpaquePointer) -> String {
        archive_error_string(writer).map { String(cString: $0) } ?? "unknown error"
    }

    private final class Sink {
        var bytes: [UInt8] = []
        var closing = false
    }
}
