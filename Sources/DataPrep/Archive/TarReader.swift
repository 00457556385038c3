/// Streaming reader for `.tar` and `.tar.gz` (ustar, GNU and pax formats), through libarchive.
///
/// Members are read in archive order straight from the file, decompressed on the fly (libarchive
/// over our positional reads, no temporary files, nothing extracted to disk); at most one member's
/// bytes are held at a time, and members the caller does not want are streamed past without
/// being kept. Gzip is detected by its magic bytes, not the file name.
///
/// Every member name is checked by `ArchivePath.validate`: a member that could escape a
/// destination folder (`../x`, `/etc/x`) stops the walk with `.unsafeArchiveEntry`. Symbolic
/// and hard links are reported with their kind and never followed.
///
/// End of archive: two zero blocks, as written by tar; also accepted (as libarchive does) are
/// EOF after one zero block and EOF at a block boundary (archives written by some libraries).
/// The policy on top of libarchive lives in `TarMembers`.
public struct TarReader: Sendable {
    public let path: String
    public let limits: DecompressionLimits
    /// Whether the file is gzip-compressed (by magic).
    public let isCompressed: Bool
    private let file: ReadOnlyFile

    /// Opens `path` and detects compression.
    /// - Throws: `.io`, `.emptyFile`. Format errors surface when members are read.
    public init(path: String, limits: DecompressionLimits = .default) throws {
        try self.init(file: ReadOnlyFile(path: path), limits: limits)
    }

    /// Reads an archive already in memory; `name` stands for the path in entries' errors.
    /// - Throws: `.emptyFile`. Format errors surface when members are read.
    public init(bytes: [UInt8], name: String, limits: DecompressionLimits = .default) throws {
        try self.init(file: ReadOnlyFile(bytes: bytes, name: name), limits: limits)
    }

    private init(file: ReadOnlyFile, limits: DecompressionLimits) throws {
        guard file.size > 0 else { throw DataPrepError.emptyFile(path: file.path) }
        self.file = file
        self.path = file.path
        self.limits = limits
        isCompressed = try file.bytes(at: 0, count: min(2, file.size)) == [0x1f, 0x8b]
    }

    /// Calls `body` for every member in archive order with its bytes (empty for anything but a
    /// regular file). Each call walks the archive from the start.
    /// - Throws: whatever `body` throws, or the first format error: `.corrupt` (checksum, gzip
    ///   data, pax records), `.truncated` (a member runs past the end of the data), `.wrongMagic`
    ///   (not a tar), `.unsafeArchiveEntry`, `.limitExceeded`.
    public mutating func forEach(_ body: (ArchiveEntry, [UInt8]) throws -> Void) throws {
        try forEach(wants: { _ in true }, body)
    }

    /// Like `forEach(_:)`, but `wants` decides per member whether `body` sees it: members it
    /// turns down are streamed past without buffering and not passed to `body`.
    public mutating func forEach(wants: (ArchiveEntry) -> Bool, _ body: (ArchiveEntry, [UInt8]) throws -> Void) throws {
        let parser = try makeParser()
        while let entry = try parser.nextEntry() {
            guard wants(entry) else { continue }
            let bytes = entry.kind == .file ? try parser.readData() : []
            try body(entry, bytes)
        }
    }

    /// Like `forEach(wants:_:)`, but `body` reads a regular member's data itself through `read`
    /// (fills the buffer; fewer bytes only at the member's end), so a 30 MB CIFAR batch can be
    /// decoded a chunk at a time instead of held whole. Whatever `body` leaves unread is skipped.
    public mutating func streamMembers(wants: (ArchiveEntry) -> Bool,
                                       _ body: (ArchiveEntry, _ read: (UnsafeMutableRawBufferPointer) throws -> Int) throws -> Void) throws {
        let parser = try makeParser()
        while let entry = try parser.nextEntry() {
            guard wants(entry) else { continue }
            try body(entry) { try parser.readData(into: $0) }
        }
    }

    /// Every member of the archive at `path`, streaming past the data.
    public static func list(path: String, limits: DecompressionLimits = .default) throws -> [ArchiveEntry] {
        var reader = try TarReader(path: path, limits: limits)
        var entries: [ArchiveEntry] = []
        try reader.forEach(wants: { entries.append($0); return false }) { _, _ in }
        return entries
    }

    private func makeParser() throws -> TarMembers {
        try TarMembers(file: file, isCompressed: isCompressed, limits: limits)
    }
}
