/// Every way `Downloader` can fail. Each case names the URL(s) tried and what was expected
/// and found, so a user can tell a dead mirror from a corrupt file from a login page.
public enum DownloadError: Error, Equatable, Sendable {
    /// No dataset of that name; `known` lists the valid ones.
    case unknownDataset(name: String, known: [String])
    /// The catalog file (or a literal table) cannot be used.
    case badCatalog(path: String, reason: String)
    /// There is no mirror to try (e.g. `--no-default-mirrors` without `--mirror`).
    case noMirrors(dataset: String)
    /// Every mirror was tried for `file` and each failed; in the order tried.
    case allMirrorsFailed(file: String, attempts: [MirrorAttempt])
    /// A local file operation failed (create, write, fsync, rename).
    case io(path: String, reason: String)
}

/// One try of one URL and why it failed.
public struct MirrorAttempt: Equatable, Sendable, CustomStringConvertible {
    public let url: String
    public let failure: MirrorFailure

    public init(url: String, failure: MirrorFailure) {
        self.url = url
        self.failure = failure
    }

    public var description: String { "\(url): \(failure)" }
}

/// Why one URL did not yield the right bytes.
public enum MirrorFailure: Error, Equatable, Sendable, CustomStringConvertible {
    /// The server answered with a status other than 200/206 (e.g. 403, 404).
    case httpStatus(Int)
    /// The connection could not be made or broke (the transport's message, e.g. a timeout).
    case transport(reason: String, bytesReceived: Int)
    /// The body ended before the expected size; the partial file is kept for resuming.
    case truncated(expected: Int, received: Int)
    /// The finished file (or the server's announced length) has the wrong size.
    case sizeMismatch(expected: Int, actual: Int)
    /// The file has the right size but the wrong checksum; `algorithm` is "md5" or "sha256".
    case hashMismatch(algorithm: String, expected: String, actual: String)
    /// The server sent an HTML/XML page (a 404 page, login wall, S3 error) instead of the file.
    case htmlInsteadOfData(status: Int, contentType: String?, excerpt: String)

    public var description: String {
        switch self {
        case let .httpStatus(code):
            let reason = httpReason(code)
            return reason.isEmpty ? "HTTP \(code)" : "HTTP \(code) \(reason)"
        case let .transport(reason, received):
            return received > 0 ? "\(reason) (after \(received) bytes)" : reason
        case let .truncated(expected, received):
            return "transfer ended early: received \(received) of \(expected) bytes"
        case let .sizeMismatch(expected, actual):
            return "size mismatch: expected \(expected) bytes, got \(actual)"
        case let .hashMismatch(algorithm, expected, actual):
            return "\(algorithm) mismatch: expected \(expected), got \(actual)"
        case let .htmlInsteadOfData(status, contentType, excerpt):
            let type = contentType.map { ", Content-Type \($0)" } ?? ""
            return "HTML page instead of data (HTTP \(status)\(type)): \"\(excerpt)\""
        }
    }
}

extension DownloadError: CustomStringConvertible {
    public var description: String {
        switch self {
        case let .unknownDataset(name, known):
            return "unknown dataset '\(name)': expected one of \(known.joined(separator: ", "))"
        case let .badCatalog(path, reason):
            return "\(path): bad download catalog: \(reason)"
        case let .noMirrors(dataset):
            return "\(dataset): no mirror to download from (add one with --mirror URL)"
        case let .allMirrorsFailed(file, attempts):
            let lines = attempts.map { "  \($0)" }
            return "\(file): every mirror failed (\(attempts.count) tried):\n" + lines.joined(separator: "\n")
        case let .io(path, reason):
            return "\(path): cannot write: \(reason)"
        }
    }
}

private func httpReason(_ code: Int) -> String {
    switch code {
    case 301, 302, 307, 308: return "Redirect"
    case 400: return "Bad Request"
    case 401: return "Unauthorized"
    case 403: return "Forbidden"
    case 404: return "Not Found"
    case 410: return "Gone"
    case 416: return "Range Not Satisfiable"
    case 429: return "Too Many Requests"
    case 500: return "Internal Server Error"
    case 502: return "Bad Gateway"
    case 503: return "Service Unavailable"
    case 504: return "Gateway Timeout"
    default: return ""
    }
}
