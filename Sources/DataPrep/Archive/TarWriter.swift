/// Builds a tar archive in memory, deterministically: the same members give the same bytes on
/// every machine (mtime 0, uid/gid 0, empty owner names, fixed modes), so fixtures and exported
/// archives can be checked by hash.
///
/// Headers are POSIX ustar. A name over 100 bytes is split into the ustar prefix field when a
/// `/` allows it (up to 255 bytes); otherwise `addFile` writes a pax extended header (`path=`),
/// which every tar since 2001 reads, so no name is ever rejected. `LongNames` can force pax or
/// GNU 'L' records, to produce the variants a reader must handle. Names are written as given,
/// unchecked, so tests can build hostile archives; readers validate them.
public struct TarWriter {
    /// How a name that does not fit 100 bytes is stored.
    public enum LongNames: Sendable {
        /// ustar prefix split when possible, else a pax record.
        case automatic
        /// Always a pax extended header with `path=` (even for short names).
        case pax
        /// A GNU `././@LongLink` member of type 'L' when the name is over 100 bytes.
        case gnu
    }

    private var bytes: [UInt8] = []

    public init() {}

    /// Adds a regular file.
    public mutating func addFile(path: String, bytes data: [UInt8], mode: Int = 0o644, longNames: LongNames = .automatic) {
        addMember(name: path, typeflag: TarHeader.TypeFlag.file, mode: mode, data: data, longNames: longNames)
    }

    /// Adds a directory entry (written as `path/`).
    public mutating func addDirectory(path: String, mode: Int = 0o755) {
        let name = path.hasSuffix("/") ? path : path + "/"
        addMember(name: name, typeflag: TarHeader.TypeFlag.directory, mode: mode, data: [], longNames: .automatic)
    }

    /// Adds a symbolic link to `target` (at most 100 bytes).
    public mutating func addSymlink(path: String, target: String) {
        addMember(name: path, typeflag: TarHeader.TypeFlag.symlink, mode: 0o777, data: [], linkName: target, longNames: .automatic)
    }

    /// Adds a hard link to the earlier member `target` (at most 100 bytes).
    public mutating func addHardlink(path: String, target: String) {
        addMember(name: path, typeflag: TarHeader.TypeFlag.hardlink, mode: 0o644, data: [], linkName: target, longNames: .automatic)
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

    /// The two zero blocks that end an archive.
    public static var end: [UInt8] { [UInt8](repeating: 0, count: 2 * TarHeader.blockSize) }

    private mutating func addMember(name: String, typeflag: UInt8, mode: Int, data: [UInt8], linkName: String = "", longNames: LongNames) {
        let nameBytes = Array(name.utf8)
        let link = Array(linkName.utf8)
        precondition(link.count <= 100, "tar link target over 100 bytes: \(linkName)")
        var format = TarHeader.Format.ustar
        var field = nameBytes
        var prefix: [UInt8] = []
        switch longNames {
        case .automatic where nameBytes.count > 100:
            if let split = Self.ustarSplit(nameBytes) {
                (prefix, field) = split
            } else {
                appendPax(path: name)
                field = Self.truncated(nameBytes)
            }
        case .pax:
            appendPax(path: name)
            field = Self.truncated(nameBytes)
        case .gnu where nameBytes.count > 100:
            format = .gnu
            let record = nameBytes + [0]
            appendMember(TarHeader.encode(name: Array("././@LongLink".utf8), mode: 0o644, size: record.count,
                                          typeflag: TarHeader.TypeFlag.gnuLongName, format: .gnu), data: record)
            field = Self.truncated(nameBytes)
        default:
            break
        }
        let header = TarHeader.encode(name: field, prefix: prefix, mode: mode, size: data.count, typeflag: typeflag,
                                      linkName: link, format: format)
        appendMember(header, data: data)
    }

    private mutating func appendPax(path: String) {
        let record = TarPax.record("path", path)
        appendMember(TarHeader.encode(name: Array("././@PaxHeader".utf8), mode: 0o644, size: record.count,
                                      typeflag: TarHeader.TypeFlag.paxExtended), data: record)
    }

    private mutating func appendMember(_ header: [UInt8], data: [UInt8]) {
        bytes += header
        bytes += data
        let padding = (TarHeader.blockSize - data.count % TarHeader.blockSize) % TarHeader.blockSize
        bytes += [UInt8](repeating: 0, count: padding)
    }

    /// `(prefix, name)` split at a `/` with prefix ≤ 155 and name ≤ 100 bytes, the longest name first.
    static func ustarSplit(_ path: [UInt8]) -> (prefix: [UInt8], name: [UInt8])? {
        guard path.count <= 256 else { return nil }
        for i in path.indices where path[i] == UInt8(ascii: "/") && i <= 155 && path.count - i - 1 <= 100 && i > 0 {
            if path.count - i - 1 > 0 { return (Array(path[..<i]), Array(path[(i + 1)...])) }
        }
        return nil
    }

    /// The first 100 bytes, cut back to a UTF-8 character boundary (the header field readers
    /// show when they ignore the extended name).
    private static func truncated(_ name: [UInt8]) -> [UInt8] {
        var end = min(name.count, 100)
        while end > 0, end < name.count, name[end] & 0xc0 == 0x80 { end -= 1 }
        return Array(name[..<end])
    }
}
