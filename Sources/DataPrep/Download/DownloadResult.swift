/// How a file came to be in place.
public enum DownloadStatus: String, Codable, Sendable {
    /// It was already there with the right size and checksums; nothing was requested.
    case verified
    /// Fetched from the start and verified.
    case downloaded
    /// Continued from a partial file with a `Range` request (206) and verified.
    case resumed
}

/// One file that is now in place and verified.
public struct DownloadedFile: Codable, Sendable, Equatable {
    /// The catalog name.
    public let name: String
    /// Where it is: `DIR/NAME`.
    public let path: String
    public let status: DownloadStatus
    /// Its size in bytes.
    public let bytes: Int
    /// Lowercase hex SHA-256 of the file (always computed, also when the catalog has only MD5).
    public let sha256: String
    /// Lowercase hex MD5 of the file.
    public let md5: String
    /// The URL it came from; nil when it was already present.
    public let url: String?
}

/// Things worth telling a user while `Downloader` works; the CLI draws and prints them.
public enum DownloadEvent: Sendable {
    /// An existing `DIR/NAME` is being hashed.
    case checkingExisting(file: String)
    /// An existing file did not match and will be replaced once a good copy is verified.
    case existingInvalid(file: String, reason: String)
    /// A request starts; `resumeFrom` is the partial file's size (0 for a fresh start).
    case requesting(file: String, url: String, resumeFrom: Int)
    /// Bytes of the file now on disk, and its full size when known.
    case progress(file: String, bytes: Int, total: Int?)
    /// A downloaded file is being hashed.
    case verifying(file: String)
    /// One URL failed; the next try (same mirror resuming, or the next mirror) follows.
    case attemptFailed(file: String, attempt: MirrorAttempt)
    /// The file is in place.
    case finished(DownloadedFile)
}
