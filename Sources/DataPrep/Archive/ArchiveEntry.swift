/// One member of a tar or zip archive, as listed (the bytes are read separately).
public struct ArchiveEntry: Sendable, Equatable, Hashable {
    public enum Kind: Sendable, Equatable, Hashable {
        case file, directory, symlink, hardlink
        /// Devices, FIFOs, sparse files, volume labels: listed, never read.
        case other
    }

    /// The normalised relative path (`ArchivePath.validate`): no leading `./` or `/`, no `..`,
    /// no trailing `/`; `.` for an archive's root directory entry.
    public let path: String
    /// Bytes of content: the (uncompressed) file size for `.file`, 0 for everything else.
    public let size: Int
    public let kind: Kind

    public init(path: String, size: Int, kind: Kind) {
        self.path = path
        self.size = size
        self.kind = kind
    }
}
