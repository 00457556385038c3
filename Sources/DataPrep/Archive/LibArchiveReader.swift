internal import CArchive
#if canImport(Glibc)
import Glibc
#endif

/// One libarchive read handle over a `ByteSource`, streamed through callbacks (reads of 1 MiB,
/// skips that only move the offset of a plain file), so archives are read in place from disk or
/// from bytes in memory (the fuzz targets) alike; nothing is ever extracted.
///
/// Only the format asked for is enabled (tar, or zip): a smaller attack surface than
/// `archive_read_support_format_all`, and a file of another kind fails as "unrecognized" for
/// our policy layer to explain. Gzip is not libarchive's filter but our `GzipDecoder` under
/// it: libarchive 3.6's gzip reader checks neither the CRC-32 nor the length in the trailer
/// ("XXX TODO" in its source), where zlib through ours checks both and enforces
/// `DecompressionLimits` with gzip's own typed errors. libarchive's calls run under the C.UTF-8
/// locale (per thread, `uselocale`), so member names reach us as the archive's bytes, which
/// `ArchiveText` decodes, instead of failing a conversion to the process's C locale.
final class LibArchiveReader {
    private let handle: OpaquePointer
    private let source: CallbackSource

    /// - Throws: the source's own errors (`.io`, gzip's `.corrupt`) from the first reads; the
    ///   caller explains any other open failure, since libarchive only says "Unrecognized
    ///   archive format".
    init(tar bytes: ByteSource, path: String) throws {
        guard let handle = archive_read_new() else { preconditionFailure("archive_read_new: out of memory") }
        self.handle = handle
        let source = CallbackSource(bytes, path: path)
        self.source = source
        archive_read_support_format_tar(handle)
        openStatus = Self.open(handle, source)
        if let error = source.error { throw error }
    }

    /// A zip read from `file`: by its central directory (`seekable`, libarchive's
    /// `zip_seekable`), or front to back from `offset` (`zip_streamable`), which finds the
    /// next local header on its own: how one member is read without the directory.
    init(zip file: ReadOnlyFile, from offset: Int = 0, seekable: Bool) throws {
        guard let handle = archive_read_new() else { preconditionFailure("archive_read_new: out of memory") }
        self.handle = handle
        // 64 KiB reads: a zip is read by jumps (one header, one member), where 1 MiB per jump
        // would copy a gigabyte to list 25,000 photos.
        let source = CallbackSource(FileSource(file, from: offset), path: file.path, chunkSize: 64 << 10)
        self.source = source
        if seekable {
            archive_read_support_format_zip_seekable(handle)
            archive_read_set_seek_callback(handle) { _, data, offset, whence in CallbackSource.from(data).seek(offset, whence) }
        } else {
            archive_read_support_format_zip_streamable(handle)
        }
        openStatus = Self.open(handle, source)
        if let error = source.error { throw error }
    }

    private static func open(_ handle: OpaquePointer, _ source: CallbackSource) -> Int32 {
        withUTF8Locale {
            archive_read_open2(handle, Unmanaged.passUnretained(source).toOpaque(), nil,
                               { _, data, buffer in CallbackSource.from(data).read(buffer) },
                               { _, data, count in CallbackSource.from(data).skip(count) }, nil)
        }
    }

    /// `ARCHIVE_OK` when a format recognised the data, else the status of `archive_read_open2`.
    let openStatus: Int32

    var opened: Bool { openStatus == ARCHIVE_OK }

    deinit { archive_read_free(handle) }

    /// The next header: its entry, or nil at the end. `status` is libarchive's (OK, WARN, …).
    func nextHeader() throws -> (entry: OpaquePointer?, status: Int32) {
        var entry: OpaquePointer?
        let status = Self.withUTF8Locale { archive_read_next_header(handle, &entry) }
        if let error = source.error { throw error }
        return (status == ARCHIVE_EOF ? nil : entry, status)
    }

    /// Up to `dest.count` bytes of the current entry's data: 0 at its end, negative on error.
    func readData(into dest: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = archive_read_data(handle, dest.baseAddress, dest.count)
        if let error = source.error { throw error }
        return n
    }

    /// Skips the rest of the current entry's data (a seek for a plain file, inflating for gzip).
    func skipData() throws -> Int32 {
        let status = archive_read_data_skip(handle)
        if let error = source.error { throw error }
        return status
    }

    /// Bytes consumed from the (decompressed) archive stream so far.
    var position: Int { Int(archive_filter_bytes(handle, 0)) }

    /// libarchive's name for the current entry's format, e.g. "ZIP 2.0 (deflation)".
    var formatName: String {
        archive_format_name(handle).map { String(cString: $0) } ?? ""
    }

    /// Whether the current entry's data is encrypted.
    static func isEncrypted(_ entry: OpaquePointer) -> Bool { archive_entry_is_data_encrypted(entry) == 1 }

    /// libarchive's message for the last failure.
    var message: String {
        archive_error_string(handle).map { String(cString: $0) } ?? "unknown libarchive error"
    }

    /// What an entry says about itself, read while it is the current entry.
    struct Header {
        var rawPath: [UInt8]
        var kind: ArchiveEntry.Kind
        /// nil when the header gives no size.
        var size: Int?
    }

    static func header(of entry: OpaquePointer) -> Header {
        let raw = archive_entry_pathname(entry).map { Array(UnsafeRawBufferPointer(start: $0, count: strlen($0))) } ?? []
        let kind: ArchiveEntry.Kind
        if archive_entry_hardlink(entry) != nil {
            kind = .hardlink
        } else {
            switch archive_entry_filetype(entry) {
            case 0o100000: kind = .file        // AE_IFREG
            case 0o040000: kind = .directory   // AE_IFDIR
            case 0o120000: kind = .symlink     // AE_IFLNK
            default: kind = .other
            }
        }
        let size = archive_entry_size_is_set(entry) != 0 ? Int(archive_entry_size(entry)) : nil
        return Header(rawPath: raw, kind: kind, size: size)
    }

    /// Runs `body` with this thread's LC_CTYPE set to C.UTF-8 (when the system has it).
    static func withUTF8Locale<T>(_ body: () throws -> T) rethrows -> T {
        guard let locale = utf8Locale.locale else { return try body() }
        let previous = uselocale(locale)
        defer { uselocale(previous) }
        return try body()
    }

    private struct Locale: @unchecked Sendable { let locale: locale_t? }
    private static let utf8Locale = Locale(locale: newlocale(carchive_lc_ctype_mask(), "C.UTF-8", nil))
}

/// The callbacks' state: the byte source and the first error it threw (which the reader
/// rethrows as is, so a failing disk reads as `.io` and damaged gzip as gzip's `.corrupt`).
private final class CallbackSource {
    let bytes: ByteSource
    let path: String
    var error: DataPrepError?
    let buffer: UnsafeMutableRawBufferPointer

    init(_ bytes: ByteSource, path: String, chunkSize: Int = 1 << 20) {
        self.bytes = bytes
        self.path = path
        buffer = .allocate(byteCount: chunkSize, alignment: 64)
    }

    deinit { buffer.deallocate() }

    static func from(_ data: UnsafeMutableRawPointer?) -> CallbackSource {
        Unmanaged<CallbackSource>.fromOpaque(data!).takeUnretainedValue()
    }

    func read(_ out: UnsafeMutablePointer<UnsafeRawPointer?>?) -> Int {
        attempt { () throws -> Int in
            let n = try bytes.read(into: buffer)
            out?.pointee = UnsafeRawPointer(buffer.baseAddress)
            return n
        }
    }

    func skip(_ count: Int64) -> Int64 {
        Int64(attempt { try bytes.skip(Int(count)) })
    }

    /// Only for a plain file (`FileSource`): the zip reader jumps to its central directory.
    func seek(_ offset: Int64, _ whence: Int32) -> Int64 {
        guard let file = bytes as? FileSource else { return -1 }
        let base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? file.offset : file.file.size
        let target = base + Int(offset)
        guard target >= 0 else { return -1 }
        file.offset = target
        return Int64(target)
    }

    private func attempt(_ body: () throws -> Int) -> Int {
        do {
            return try body()
        } catch let failure as DataPrepError {
            error = failure
        } catch {
            self.error = .io(path: path, reason: "\(error)")
        }
        return -1
    }
}
