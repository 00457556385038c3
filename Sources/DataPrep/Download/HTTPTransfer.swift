import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Timeouts for one HTTP transfer.
public struct TransferTimeouts: Sendable, Equatable {
    /// Seconds without receiving any data before the transfer is abandoned.
    public var idle: Double
    /// Seconds for the whole transfer of one file from one URL.
    public var total: Double

    public init(idle: Double = 30, total: Double = 3600) {
        self.idle = idle
        self.total = total
    }
}

/// What one GET did to the partial file.
struct TransferOutcome: Sendable {
    /// The HTTP status, or 0 when no response arrived.
    var status = 0
    /// Where the body was written from: the resume offset after a 206, else 0.
    var writtenFrom = 0
    /// Body bytes written by this request.
    var bytesWritten = 0
    /// Why the request did not deliver the whole body, if it did not.
    var failure: MirrorFailure?
    /// A local write failed (disk full, …): not the mirror's fault, so no other mirror helps.
    var localError: String?

    /// Whether the server honoured the Range request (206 for a non-zero offset).
    var resumed: Bool { writtenFrom > 0 }
}

/// One HTTP GET streamed into an open file descriptor, with `Range: bytes=N-` when resuming.
///
/// FoundationNetworking on Linux has no `URLSession.bytes(for:)` (checked on Swift 6.3.1: "value
/// of type 'URLSession' has no member 'bytes'"), and `data(for:)` would hold a 170 MB archive
/// in memory, so this is a data-task delegate that writes each chunk as it arrives. It also
/// looks at the first bytes of a body written from offset 0: an HTML or XML document there is
/// an error page served with status 200, and the transfer is stopped at once.
final class HTTPTransfer: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    private let fd: Int32
    private let resumeOffset: Int
    private let expectedSize: Int?
    private let onProgress: @Sendable (_ bytesOnDisk: Int, _ total: Int?) -> Void
    private let finished = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    // State below is touched only on the session's serial delegate queue, then read after
    // `finished` is signalled; the lock makes that hand-over explicit.
    private var outcome = TransferOutcome()
    private var announcedBodyLength: Int?
    private var announcedMismatch: Int?
    private var contentType: String?
    private var head: [UInt8] = []
    private var sniffed = false
    private var total: Int?

    /// Bytes of body start looked at for an HTML page before deciding.
    private static let sniffLength = 512

    private init(fd: Int32, resumeOffset: Int, expectedSize: Int?,
                 onProgress: @escaping @Sendable (Int, Int?) -> Void) {
        self.fd = fd
        self.resumeOffset = resumeOffset
        self.expectedSize = expectedSize
        self.onProgress = onProgress
        self.total = expectedSize
    }

    /// GETs `url` into `fd`, which is open for writing and positioned at `resumeOffset` (its
    /// size). A 206 appends; a 200 truncates the file and writes from 0.
    /// - Parameter expectedSize: the file's full size when known; a server announcing another
    ///   length is stopped before the body is downloaded.
    static func get(_ url: URL, into fd: Int32, resumeOffset: Int, expectedSize: Int?,
                    timeouts: TransferTimeouts,
                    onProgress: @escaping @Sendable (_ bytesOnDisk: Int, _ total: Int?) -> Void) -> TransferOutcome {
        let transfer = HTTPTransfer(fd: fd, resumeOffset: resumeOffset, expectedSize: expectedSize, onProgress: onProgress)
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeouts.idle
        configuration.timeoutIntervalForResource = timeouts.total
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        let queue = OperationQueue()
        queue.maxConcurrentOperationCount = 1
        let session = URLSession(configuration: configuration, delegate: transfer, delegateQueue: queue)
        var request = URLRequest(url: url)
        // Bytes exactly as stored: a server that gzips on the fly would change size and hash.
        request.setValue("identity", forHTTPHeaderField: "Accept-Encoding")
        request.setValue("dataprep/0.1", forHTTPHeaderField: "User-Agent")
        if resumeOffset > 0 { request.setValue("bytes=\(resumeOffset)-", forHTTPHeaderField: "Range") }
        let task = session.dataTask(with: request)
        task.resume()
        if transfer.finished.wait(timeout: .now() + timeouts.total + 10) == .timedOut {
            task.cancel()
            transfer.finished.wait()
        }
        session.finishTasksAndInvalidate()
        transfer.lock.lock()
        defer { transfer.lock.unlock() }
        return transfer.outcome
    }

    // MARK: URLSessionDataDelegate

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        lock.lock()
        defer { lock.unlock() }
        guard let http = response as? HTTPURLResponse else {
            outcome.failure = .transport(reason: "not an HTTP response", bytesReceived: 0)
            return completionHandler(.cancel)
        }
        outcome.status = http.statusCode
        contentType = header(http, "Content-Type")
        let length = response.expectedContentLength >= 0 ? Int(response.expectedContentLength) : nil
        announcedBodyLength = length
        switch http.statusCode {
        case 206 where resumeOffset > 0:
            let range = header(http, "Content-Range") ?? ""
            guard let (start, full) = parseContentRange(range), start == resumeOffset else {
                outcome.failure = .transport(reason: "asked for bytes \(resumeOffset)- but the server sent Content-Range '\(range)'",
                                             bytesReceived: 0)
                return completionHandler(.cancel)
            }
            outcome.writtenFrom = resumeOffset
            if let full {
                total = full
                if let expectedSize, full != expectedSize { announcedMismatch = full }
            }
        case 200, 206:
            // A full body: either no Range was sent, or the server ignores Range (then restart).
            if resumeOffset > 0 {
                guard ftruncate(fd, 0) == 0, lseek(fd, 0, SEEK_SET) == 0 else {
                    outcome.localError = String(cString: strerror(errno))
                    return completionHandler(.cancel)
                }
            }
            outcome.writtenFrom = 0
            if let length {
                if total == nil { total = length }
                if let expectedSize, length != expectedSize { announcedMismatch = length }
            }
        default:
            outcome.failure = .httpStatus(http.statusCode)
            return completionHandler(.cancel)
        }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        lock.lock()
        defer { lock.unlock() }
        guard outcome.failure == nil, outcome.localError == nil else { return }
        if !sniffed && outcome.writtenFrom == 0 && head.count < Self.sniffLength {
            head += data.prefix(Self.sniffLength - head.count)
        }
        let ok = data.withUnsafeBytes { writeAll($0) }
        guard ok else {
            outcome.localError = String(cString: strerror(errno))
            return dataTask.cancel()
        }
        outcome.bytesWritten += data.count
        if !sniffed && (head.count >= 64 || outcome.writtenFrom > 0) && !judgeHead() { return dataTask.cancel() }
        onProgress(outcome.writtenFrom + outcome.bytesWritten, total)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        lock.lock()
        if !sniffed { _ = judgeHead() }
        if outcome.failure == nil && outcome.localError == nil {
            if let error {
                outcome.failure = .transport(reason: describe(error), bytesReceived: outcome.bytesWritten)
            } else if let announced = announcedBodyLength, outcome.bytesWritten < announced {
                outcome.failure = .truncated(expected: outcome.writtenFrom + announced,
                                             received: outcome.writtenFrom + outcome.bytesWritten)
            }
        }
        lock.unlock()
        finished.signal()
    }

    // MARK: Helpers (called with `lock` held)

    /// Decides, once, whether the body start is an HTML page or the announced length is wrong.
    /// Returns false (and records the failure) when the transfer should stop.
    private func judgeHead() -> Bool {
        sniffed = true
        if outcome.writtenFrom == 0, ContentSniffer.looksLikeHTML(head) {
            outcome.failure = .htmlInsteadOfData(status: outcome.status, contentType: contentType, excerpt: excerpt(head))
            return false
        }
        if let announced = announcedMismatch, let expectedSize {
            outcome.failure = .sizeMismatch(expected: expectedSize, actual: announced)
            return false
        }
        return true
    }

    private func writeAll(_ buffer: UnsafeRawBufferPointer) -> Bool {
        var done = 0
        while done < buffer.count {
            let n = write(fd, buffer.baseAddress! + done, buffer.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                return false
            }
            done += n
        }
        return true
    }
}

/// A header's value, matching the name case-insensitively.
private func header(_ response: HTTPURLResponse, _ name: String) -> String? {
    for (key, value) in response.allHeaderFields {
        if let key = key as? String, key.caseInsensitiveCompare(name) == .orderedSame { return value as? String }
    }
    return nil
}

/// `bytes START-END/TOTAL` → (START, TOTAL); TOTAL is nil when the server sends `*`.
func parseContentRange(_ value: String) -> (start: Int, total: Int?)? {
    let trimmed = value.trimmingCharacters(in: .whitespaces)
    guard trimmed.lowercased().hasPrefix("bytes ") else { return nil }
    let spec = trimmed.dropFirst(6)
    let parts = spec.split(separator: "/", maxSplits: 1)
    guard parts.count == 2, let dash = parts[0].firstIndex(of: "-"), let start = Int(parts[0][..<dash]) else { return nil }
    return (start, Int(parts[1]))
}

/// The title of an HTML page, or its first characters, on one line and at most 80 long.
func excerpt(_ bytes: [UInt8]) -> String {
    let text = String(decoding: bytes, as: UTF8.self)
    if let open = text.range(of: "<title>", options: .caseInsensitive),
       let close = text.range(of: "</title>", options: .caseInsensitive, range: open.upperBound..<text.endIndex) {
        return "<title>" + String(text[open.upperBound..<close.lowerBound]).trimmingCharacters(in: .whitespacesAndNewlines) + "</title>"
    }
    let line = text.split(whereSeparator: \.isNewline).joined(separator: " ")
    return String(line.prefix(80))
}

/// The transport's message plus its code, e.g. "The request timed out. (NSURLErrorDomain -1001)".
private func describe(_ error: any Error) -> String {
    let ns = error as NSError
    return "\(ns.localizedDescription) (\(ns.domain) \(ns.code))"
}
