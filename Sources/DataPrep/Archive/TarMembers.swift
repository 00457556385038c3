internal import CArchive

/// Our policy over libarchive's tar walk: every member name through `ArchivePath.validate`,
/// links listed and never followed, a member's declared size checked against the file (plain
/// tar) or the decompression limits (tar.gz) before a byte of it is read, and libarchive's
/// failures turned into typed errors naming `archive:member` and a stream offset.
///
/// Offsets are positions in the uncompressed tar stream (what `tar` itself and `xxd` on the
/// gunzipped file show), as libarchive counts them (`archive_filter_bytes`).
final class TarMembers {
    private let reader: LibArchiveReader
    private let file: ReadOnlyFile
    private let archive: String
    /// The (gunzipped) stream libarchive reads: the file itself, or zlib over it.
    private let stream: ByteSource
    private let isCompressed: Bool
    private let limits: DecompressionLimits
    private var memberIndex = 0
    /// The current member's unread data: its name, where it starts, and its size.
    private var pending: (name: String, offset: Int, size: Int)?

    init(file: ReadOnlyFile, isCompressed: Bool, limits: DecompressionLimits) throws {
        self.file = file
        archive = file.path
        stream = isCompressed
            ? try GzipDecoder(input: FileInput(file), name: file.path, compressedSize: file.size, limits: limits)
            : FileSource(file)
        reader = try LibArchiveReader(tar: stream, path: file.path)
        self.isCompressed = isCompressed
        self.limits = limits
        guard reader.opened else { throw try notATar() }
    }

    /// The most bytes the stream may hold: the file size for a plain tar, the decompression
    /// limit for a compressed one. A header claiming more fails before anything is read.
    private var streamLimit: Int {
        isCompressed ? limits.maxOutput(forCompressed: file.size) : file.size
    }

    /// The next member, its data not yet consumed; nil after the end of the archive.
    func nextEntry() throws -> ArchiveEntry? {
        try skipData()
        let headerOffset = reader.position
        let (entry, status) = try reader.nextHeader()
        if status == ARCHIVE_EOF {
            try finish()
            return nil
        }
        guard status == ARCHIVE_OK, let entry else { throw headerError(at: headerOffset, status: status) }
        let header = LibArchiveReader.header(of: entry)
        let rawPath = ArchiveText.decode(header.rawPath, fallback: .latin1)
        let path = try ArchivePath.validate(rawPath, archive: archive)
        if path == ".", header.kind != .directory {
            throw DataPrepError.unsafeArchiveEntry(archive: archive, entry: rawPath, reason: "a non-directory member named like the archive root")
        }
        // Links, devices and directories carry no data we read, whatever their size says.
        let size = header.kind == .file ? header.size ?? 0 : 0
        let dataOffset = reader.position
        if size > streamLimit - dataOffset {
            let end = dataOffset + size
            throw isCompressed
                ? limits.exceeded(path: archive + ":" + path, found: end, compressedBytes: file.size)
                : DataPrepError.truncated(path: archive + ":" + path, expected: end, found: file.size)
        }
        pending = (path, dataOffset, size)
        memberIndex += 1
        return ArchiveEntry(path: path, size: size, kind: header.kind)
    }

    /// The current member's data (empty when it has none).
    func readData() throws -> [UInt8] {
        guard let (_, _, size) = pending else { return [] }
        return try [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            var done = 0
            defer { count = done }
            while done < size {
                let n = try readData(into: UnsafeMutableRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(buffer)[done...]))
                guard n > 0 else { break }
                done += n
            }
        }
    }

    /// Up to `dest.count` more bytes of the current member's data (0 at its end or when there
    /// is no member): how a large member is decoded a piece at a time. Whatever is left unread
    /// is skipped by the next `nextEntry()`.
    /// - Throws: `.truncated` naming the member when the stream ends inside its data.
    func readData(into dest: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let (name, offset, size) = pending, dest.count > 0 else { return 0 }
        let want = min(dest.count, max(0, offset + size - reader.position))
        guard want > 0 else { return 0 }
        var done = 0
        while done < want {
            let n = try reader.readData(into: UnsafeMutableRawBufferPointer(rebasing: dest[done..<want]))
            if n < 0 { throw dataError(name: name, expected: offset + size) }
            if n == 0 { throw DataPrepError.truncated(path: archive + ":" + name, expected: offset + size, found: reader.position) }
            done += n
        }
        return done
    }

    /// Streams past the current member's data.
    func skipData() throws {
        guard let (name, offset, size) = pending else { return }
        pending = nil
        if try reader.skipData() != ARCHIVE_OK { throw dataError(name: name, expected: offset + size) }
    }

    /// After the end marker, a gzip stream is read to its end so its CRC-32 and length are
    /// still checked (`.corrupt`), and a stream cut short is `.truncated`.
    private func finish() throws {
        guard let gzip = stream as? GzipDecoder else { return }
        while try gzip.skip(1 << 20) == 1 << 20 {}
        guard gzip.end == .clean else {
            throw DataPrepError.truncated(path: archive, expected: file.size + 1, found: file.size)
        }
    }

    /// A failure inside a member's data that the stream itself did not throw (those are
    /// `.io` and gzip's errors): the data ends early (`.truncated`), or libarchive's reason.
    private func dataError(name: String, expected: Int) -> DataPrepError {
        if reader.position < expected {
            return .truncated(path: archive + ":" + name, expected: expected, found: reader.position)
        }
        return .corrupt(path: archive + ":" + name, offset: reader.position, reason: "libarchive: \(reader.message)")
    }

    /// A header libarchive refused or warned about (a warning drops information we would
    /// otherwise pass on silently: a malformed pax record, an unreadable name).
    private func headerError(at offset: Int, status: Int32) -> DataPrepError {
        let message = reader.message
        // RETRY is how libarchive reports a header whose checksum fails (a FATAL "Damaged tar
        // archive" is something else, such as an extended header followed by the end marker).
        if status == ARCHIVE_RETRY, message == "Damaged tar archive" {
            return .corrupt(path: archive, offset: offset,
                            reason: "tar header checksum mismatch at member \(memberIndex) (libarchive: \(message))")
        }
        if message.lowercased().contains("truncated") {
            return .truncated(path: archive, expected: offset + 512, found: reader.position)
        }
        return .corrupt(path: archive, offset: offset, reason: "tar header at member \(memberIndex): libarchive: \(message)")
    }

    /// Why libarchive found no tar: the (gunzipped) first bytes, named by `ContentSniffer`.
    private func notATar() throws -> DataPrepError {
        let headBytes = 512
        var head: [UInt8]
        if isCompressed {
            let decoder = try GzipDecoder(input: FileInput(file), name: file.path, compressedSize: file.size, limits: limits)
            head = [UInt8](repeating: 0, count: headBytes)
            let n = try head.withUnsafeMutableBytes { try decoder.read(into: $0) }
            head.removeSubrange(n...)
        } else {
            head = try file.bytes(at: 0, count: min(file.size, headBytes))
        }
        if head.count < headBytes {
            return .wrongMagic(path: archive, expected: "a tar header (512 bytes)", found: head.hexPrefix(8),
                               hint: ContentSniffer.hint(for: head) ?? "only \(head.count) bytes: too short for a tar archive")
        }
        return .wrongMagic(path: archive, expected: "a tar header ('ustar' at offset 257)", found: head.hexPrefix(8),
                           hint: ContentSniffer.hint(for: head) ?? "libarchive: \(reader.message)")
    }
}
