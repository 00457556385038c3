/// One file of a published dataset, as its authors list it: the name on the server, the exact
/// size in bytes when known, and at least one checksum.
///
/// A file is accepted only when its size (if given) and every checksum given all match.
public struct RemoteFile: Codable, Sendable, Equatable {
    /// The file name, both on the mirror (appended to the mirror URL) and on disk.
    public var name: String
    /// Exact size in bytes, checked before hashing and against the server's Content-Length.
    public var size: Int?
    /// Lowercase hex MD5 (what torchvision and the CIFAR page publish).
    public var md5: String?
    /// Lowercase hex SHA-256.
    public var sha256: String?

    public init(name: String, size: Int? = nil, md5: String? = nil, sha256: String? = nil) {
        self.name = name
        self.size = size
        self.md5 = md5?.lowercased()
        self.sha256 = sha256?.lowercased()
    }

    enum CodingKeys: String, CodingKey { case name, size, md5, sha256 }

    /// Decodes like the memberwise initialiser: hex digits are lowercased (published sums
    /// come in either case; we compare against lowercase).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(name: try c.decode(String.self, forKey: .name), size: try c.decodeIfPresent(Int.self, forKey: .size),
                  md5: try c.decodeIfPresent(String.self, forKey: .md5), sha256: try c.decodeIfPresent(String.self, forKey: .sha256))
    }

    /// Why this entry cannot be used to verify anything, or nil when it is sound.
    func problem() -> String? {
        if name.isEmpty || name.contains("/") || name == "." || name == ".." {
            return "file name '\(name)' must be a plain name without '/'"
        }
        if md5 == nil && sha256 == nil { return "\(name): needs an md5 or a sha256 to be verified" }
        if let md5, !HexDigits.isValid(md5, byteCount: MD5.byteCount) { return "\(name): md5 '\(md5)' is not 32 hex digits" }
        if let sha256, !HexDigits.isValid(sha256, byteCount: SHA256.byteCount) {
            return "\(name): sha256 '\(sha256)' is not 64 hex digits"
        }
        if let size, size < 0 { return "\(name): size \(size) is negative" }
        return nil
    }
}

/// A downloadable dataset: a name, its mirrors in the order to try them, and its files.
public struct RemoteDataset: Codable, Sendable, Equatable {
    /// The name used on the command line (`mnist`, `cifar10`, …).
    public var name: String
    /// One line for `--help` and listings.
    public var summary: String
    /// Base URLs tried in order; a file's URL is the base + `/` + its name.
    public var mirrors: [String]
    /// Every file the dataset consists of.
    public var files: [RemoteFile]

    public init(name: String, summary: String = "", mirrors: [String], files: [RemoteFile]) {
        self.name = name
        self.summary = summary
        self.mirrors = mirrors
        self.files = files
    }

    enum CodingKeys: String, CodingKey { case name, summary, mirrors, files }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        summary = try c.decodeIfPresent(String.self, forKey: .summary) ?? ""
        mirrors = try c.decodeIfPresent([String].self, forKey: .mirrors) ?? []
        files = try c.decode([RemoteFile].self, forKey: .files)
    }
}

/// The URL of `file` on the mirror whose base URL is `mirror` (a missing `/` is added).
func fileURL(mirror: String, file: String) -> String {
    mirror.hasSuffix("/") ? mirror + file : mirror + "/" + file
}
