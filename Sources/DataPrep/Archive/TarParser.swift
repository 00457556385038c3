/// Walks a tar stream header by header: folds GNU long names and pax records into the entry
/// they describe, validates paths, and reads or skips each member's data.
///
/// All offsets in errors are positions in the uncompressed tar stream (what `tar` itself and
/// `xxd` on the gunzipped file show).
final class TarParser {
    private let stream: TarStream
    private let archive: String
    /// The most bytes the stream may hold: the file size for a plain tar, the decompression
    /// limit for a compressed one. A header claiming more fails before anything is allocated.
    private let streamLimit: Int
    /// The error for a member `(name, ending at)` past `streamLimit`.
    private let limitError: (String, Int) -> DataPrepError
    private let block = UnsafeMutableRawBufferPointer.allocate(byteCount: TarHeader.blockSize, alignment: 64)
    private var memberIndex = 0
    private var finished = false
    /// The current entry's unread data: its name, where it starts, and its size.
    private var pending: (name: String, offset: Int, size: Int)?

    /// Extension data ('L', 'K', 'x') larger than this is refused: real ones are a few hundred bytes.
    static let maxExtensionBytes = 1 << 20

    init(stream: TarStream, archive: String, streamLimit: Int, limitError: @escaping (String, Int) -> DataPrepError) {
        self.stream = stream
        self.archive = archive
        self.streamLimit = streamLimit
        self.limitError = limitError
    }

    deinit { block.deallocate() }

    /// The next member, its data not yet consumed; nil after the end of the archive.
    func nextEntry() throws -> ArchiveEntry? {
        try skipData()
        if finished { return nil }
        var longName: String?
        var pax: [String: String] = [:]
        var extended = false
        while true {
            let headerOffset = stream.offset
            let n = try stream.read(into: block)
            if n == 0 {
                // Plain EOF at a block boundary: accepted unless the gzip stream was cut here.
                if extended { throw corrupt(headerOffset, "the archive ends after an extended header, before its member") }
                guard stream.endedCleanly else {
                    throw DataPrepError.truncated(path: archive, expected: headerOffset + TarHeader.blockSize, found: headerOffset)
                }
                finished = true
                return nil
            }
            if n < TarHeader.blockSize, headerOffset == 0 {
                let head = Array(UnsafeRawBufferPointer(rebasing: block[0..<n]))
                throw DataPrepError.wrongMagic(path: archive, expected: "a tar header (512 bytes)", found: head.hexPrefix(8),
                                               hint: ContentSniffer.hint(for: head) ?? "only \(n) bytes: too short for a tar archive")
            }
            guard n == TarHeader.blockSize else {
                throw DataPrepError.truncated(path: archive, expected: headerOffset + TarHeader.blockSize, found: headerOffset + n)
            }
            if TarHeader.isZero(UnsafeRawBufferPointer(block)) {
                if extended { throw corrupt(headerOffset, "an extended header is followed by the end-of-archive marker") }
                try finishAfterEndMarker()
                return nil
            }
            let context = TarHeader.Context(archive: archive, offset: headerOffset, member: memberIndex)
            let header = try parseHeader(context)
            switch header.typeflag {
            case TarHeader.TypeFlag.gnuLongName:
                let data = try readExtension(header, context)
                longName = ArchiveText.decode(Array(data.prefix { $0 != 0 }), fallback: .latin1)
                extended = true
            case TarHeader.TypeFlag.gnuLongLink:
                _ = try readExtension(header, context)  // link targets are never followed
                extended = true
            case TarHeader.TypeFlag.paxExtended:
                let data = try readExtension(header, context)
                pax.merge(try TarPax.parse(data, context: context)) { $1 }
                extended = true
            case TarHeader.TypeFlag.paxGlobal:
                _ = try readExtension(header, context)
            default:
                return try makeEntry(header, longName: longName, pax: pax, context: context)
            }
        }
    }

    /// The current member's data (empty when it has none), then its padding.
    func readData() throws -> [UInt8] {
        guard let (name, offset, size) = pending else { return [] }
        let bytes = try [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            count = try stream.read(into: UnsafeMutableRawBufferPointer(buffer))
        }
        guard bytes.count == size else {
            throw DataPrepError.truncated(path: archive + ":" + name, expected: offset + size, found: offset + bytes.count)
        }
        pending = (name, offset, 0)
        try skipData()
        return bytes
    }

    /// Up to `dest.count` more bytes of the current member's data (0 at its end or when there
    /// is no member): how a large member is decoded a piece at a time. Whatever is left unread
    /// is skipped by the next `nextEntry()`.
    /// - Throws: `.truncated` naming the member when the stream ends inside its data.
    func readData(into dest: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let (name, offset, size) = pending else { return 0 }
        let want = min(dest.count, max(0, offset + size - stream.offset))
        guard want > 0 else { return 0 }
        let n = try stream.read(into: UnsafeMutableRawBufferPointer(rebasing: dest[0..<want]))
        guard n == want else {
            throw DataPrepError.truncated(path: archive + ":" + name, expected: offset + size, found: stream.offset)
        }
        return n
    }

    /// Streams past the current member's data and padding.
    func skipData() throws {
        guard let (name, offset, size) = pending else { return }
        pending = nil
        let consumed = stream.offset - offset
        let padded = Self.padded(offset: offset, size: max(size, consumed))
        _ = try stream.skip(padded - stream.offset)
        guard stream.offset == padded else {
            // Name the data's own end when the data is short, the padding's when only that is.
            let expected = stream.offset < offset + size ? offset + size : padded
            throw DataPrepError.truncated(path: archive + ":" + name, expected: expected, found: stream.offset)
        }
    }

    private func parseHeader(_ context: TarHeader.Context) throws -> TarHeader {
        do {
            return try TarHeader(block: UnsafeRawBufferPointer(block), context: context)
        } catch DataPrepError.corrupt(_, _, _) where context.offset == 0 && TarHeader.format(of: UnsafeRawBufferPointer(block)) == .v7 {
            // The very first block is neither a checksummed header nor ustar-marked: not a tar.
            let head = Array(UnsafeRawBufferPointer(block))
            throw DataPrepError.wrongMagic(path: archive, expected: "a tar header ('ustar' at offset 257)",
                                           found: head.hexPrefix(8), hint: ContentSniffer.hint(for: head))
        }
    }

    private func makeEntry(_ header: TarHeader, longName: String?, pax: [String: String], context: TarHeader.Context) throws -> ArchiveEntry {
        // An empty pax value deletes the keyword (POSIX), leaving the header's own field.
        let rawPath = pax["path"].flatMap { $0.isEmpty ? nil : $0 } ?? longName ?? header.name
        var size = header.size
        if let paxSize = pax["size"], !paxSize.isEmpty {
            guard let value = Int(paxSize), value >= 0 else { throw corrupt(context.offset, "pax size '\(paxSize)' of member \(context.member) is not a size") }
            size = value
        }
        let (kind, hasData) = Self.classify(header.typeflag, rawPath: rawPath)
        let path = try ArchivePath.validate(rawPath, archive: archive)
        if path == ".", kind != .directory {
            throw DataPrepError.unsafeArchiveEntry(archive: archive, entry: rawPath, reason: "a non-directory member named like the archive root")
        }
        let dataOffset = stream.offset
        let dataSize = hasData ? size : 0
        if dataSize > streamLimit - dataOffset {
            throw limitError(path, dataOffset + dataSize)
        }
        pending = (path, dataOffset, dataSize)
        memberIndex += 1
        return ArchiveEntry(path: path, size: kind == .file ? size : 0, kind: kind)
    }

    /// What a typeflag means, and whether `size` bytes of data follow the header. Links, devices,
    /// FIFOs and directories carry none whatever their size field says (as Python's tarfile
    /// reads them); unknown types are skipped by their size.
    static func classify(_ typeflag: UInt8, rawPath: String) -> (ArchiveEntry.Kind, hasData: Bool) {
        switch typeflag {
        case TarHeader.TypeFlag.file, TarHeader.TypeFlag.oldFile, TarHeader.TypeFlag.contiguous:
            // v7 tars mark directories only by a trailing slash.
            return rawPath.hasSuffix("/") ? (.directory, false) : (.file, true)
        case TarHeader.TypeFlag.directory: return (.directory, false)
        case UInt8(ascii: "D"): return (.directory, true)  // GNU dumpdir: a listing as data
        case TarHeader.TypeFlag.symlink: return (.symlink, false)
        case TarHeader.TypeFlag.hardlink: return (.hardlink, false)
        case TarHeader.TypeFlag.characterDevice, TarHeader.TypeFlag.blockDevice, TarHeader.TypeFlag.fifo: return (.other, false)
        default: return (.other, true)
        }
    }

    /// An extension member's data, bounded in size.
    private func readExtension(_ header: TarHeader, _ context: TarHeader.Context) throws -> [UInt8] {
        guard header.size <= Self.maxExtensionBytes else {
            throw DataPrepError.limitExceeded(path: archive, what: "tar extended header size at member \(context.member)",
                                              limit: Self.maxExtensionBytes, found: header.size)
        }
        pending = ("<extended header of member \(context.member)>", stream.offset, header.size)
        return try readData()
    }

    /// After one zero block: a second one, EOF, or (leniently, like GNU tar) anything ends the
    /// archive. A gzip stream is then read to its end so its CRC is still checked.
    private func finishAfterEndMarker() throws {
        finished = true
        _ = try stream.read(into: block)
        while try stream.skip(1 << 20) == 1 << 20 {}
        guard stream.endedCleanly else {
            throw DataPrepError.truncated(path: archive, expected: stream.offset + 1, found: stream.offset)
        }
    }

    private func corrupt(_ offset: Int, _ reason: String) -> DataPrepError {
        .corrupt(path: archive, offset: offset, reason: reason)
    }

    private static func padded(offset: Int, size: Int) -> Int {
        let end = offset + size
        return (end + TarHeader.blockSize - 1) / TarHeader.blockSize * TarHeader.blockSize
    }
}
