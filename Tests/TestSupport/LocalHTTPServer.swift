import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A tiny HTTP/1.1 server on 127.0.0.1 (ephemeral port) for download tests: never a real host.
///
/// Each path gets a script of responses; request *n* to a path gets the *n*-th response, and
/// the last one repeats. Every connection is answered with `Connection: close` on its own
/// thread. GET, HEAD and `Range: bytes=N-` / `bytes=N-M` (206, or 416 past the end) are
/// understood; everything received is recorded for assertions.
///
/// ```swift
/// let server = try LocalHTTPServer()
/// server.route("/a.gz", [.truncated(bytes, after: 100), .file(bytes)])
/// // http://127.0.0.1:\(server.port)/a.gz
/// ```
public final class LocalHTTPServer: @unchecked Sendable {
    /// One scripted answer.
    public enum Response: Sendable {
        /// The bytes with 200, or 206 for a Range request when `supportsRange`.
        case file([UInt8], supportsRange: Bool = true)
        /// An HTML page with the given status (200: a login wall or soft 404 "served as data").
        case html(String, status: Int = 200)
        /// A bare status with a short text body (404, 403, 500, …).
        case status(Int)
        /// Like `.file`, announcing the full length, but the connection is closed after
        /// `after` body bytes (a dropped connection).
        case truncated([UInt8], after: Int, supportsRange: Bool = true)
    }

    /// A request as received.
    public struct Request: Sendable {
        public let method: String
        public let path: String
        /// Header names lowercased.
        public let headers: [String: String]
    }

    public let port: Int
    /// `http://127.0.0.1:PORT/`.
    public var baseURL: String { "http://127.0.0.1:\(port)/" }

    private let listener: Int32
    private let lock = NSLock()
    private var routes: [String: [Response]] = [:]
    private var served: [String: Int] = [:]
    private var received: [Request] = []
    private var stopped = false

    public init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ServerError("socket: \(String(cString: strerror(errno)))") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            close(fd)
            throw ServerError("bind/listen: \(String(cString: strerror(errno)))")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    deinit { stop() }

    /// Sets the script for `path` (leading `/`), restarting its request count.
    public func route(_ path: String, _ responses: [Response]) {
        precondition(!responses.isEmpty, "a route needs at least one response, got none for \(path)")
        lock.lock()
        defer { lock.unlock() }
        routes[path] = responses
        served[path] = 0
    }

    /// Every request received so far, in arrival order.
    public var requests: [Request] {
        lock.lock()
        defer { lock.unlock() }
        return received
    }

    /// The requests for one path.
    public func requests(for path: String) -> [Request] { requests.filter { $0.path == path } }

    /// Stops listening; later connections are refused.
    ///
    /// Only shuts the socket down: the accept thread closes the descriptor when its `accept`
    /// fails. Closing it here raced with that thread (seen under ASan in CI): a thread not yet
    /// in `accept` would call it on the reused descriptor number of the *next* test's server
    /// and answer that server's requests with 404.
    public func stop() {
        lock.lock()
        let wasStopped = stopped
        stopped = true
        lock.unlock()
        if !wasStopped { shutdown(listener, Int32(SHUT_RDWR)) }
    }

    // MARK: Serving

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                close(listener)   // shut down by `stop`: this thread owns the descriptor
                return
            }
            // Linux has no SO_NOSIGPIPE: `send` passes MSG_NOSIGNAL so a client that hangs up
            // early cannot kill the test process.
            Thread { [self] in handle(client) }.start()
        }
    }

    private func handle(_ client: Int32) {
        defer { close(client) }
        guard let request = readRequest(client) else { return }
        lock.lock()
        received.append(request)
        let script = routes[request.path]
        let index = served[request.path, default: 0]
        served[request.path] = index + 1
        lock.unlock()
        guard let script else { return send(client, status: 404, headers: [:], body: Array("no route\n".utf8), head: false) }
        let isHead = request.method == "HEAD"
        switch script[min(index, script.count - 1)] {
        case let .file(bytes, supportsRange):
            serveFile(client, bytes, request: request, supportsRange: supportsRange, cutAfter: nil, head: isHead)
        case let .truncated(bytes, after, supportsRange):
            serveFile(client, bytes, request: request, supportsRange: supportsRange, cutAfter: after, head: isHead)
        case let .html(text, status):
            send(client, status: status, headers: ["Content-Type": "text/html; charset=utf-8"], body: Array(text.utf8), head: isHead)
        case let .status(code):
            send(client, status: code, headers: ["Content-Type": "text/plain"], body: Array("status \(code)\n".utf8), head: isHead)
        }
    }

    private func serveFile(_ client: Int32, _ bytes: [UInt8], request: Request, supportsRange: Bool, cutAfter: Int?, head: Bool) {
        var status = 200
        var body = bytes[...]
        var headers = ["Content-Type": "application/octet-stream"]
        if supportsRange { headers["Accept-Ranges"] = "bytes" }
        if supportsRange, let range = request.headers["range"], let (start, end) = parseRange(range) {
            guard start < bytes.count else {
                headers["Content-Range"] = "bytes */\(bytes.count)"
                return send(client, status: 416, headers: headers, body: [], head: head)
            }
            let last = min(end ?? bytes.count - 1, bytes.count - 1)
            status = 206
            body = bytes[start...last]
            headers["Content-Range"] = "bytes \(start)-\(last)/\(bytes.count)"
        }
        headers["Content-Length"] = "\(body.count)"
        if let cutAfter { body = body.prefix(cutAfter) }
        send(client, status: status, headers: headers, body: Array(body), head: head, lengthSet: true)
    }

    private func send(_ client: Int32, status: Int, headers: [String: String], body: [UInt8], head: Bool, lengthSet: Bool = false) {
        var lines = ["HTTP/1.1 \(status) \(reasonPhrase(status))", "Connection: close"]
        var all = headers
        if !lengthSet { all["Content-Length"] = "\(body.count)" }
        for key in all.keys.sorted() { lines.append("\(key): \(all[key]!)") }
        var data = Array((lines.joined(separator: "\r\n") + "\r\n\r\n").utf8)
        if !head { data += body }
        data.withUnsafeBytes { buffer in
            var done = 0
            while done < buffer.count {
                let n = Glibc.send(client, buffer.baseAddress! + done, buffer.count - done, Int32(MSG_NOSIGNAL))
                if n <= 0 { return }
                done += n
            }
        }
        shutdown(client, Int32(SHUT_WR))
        // Drain until the client closes, so it sees our bytes before a reset.
        var scratch = [UInt8](repeating: 0, count: 1024)
        var tv = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        while recv(client, &scratch, scratch.count, 0) > 0 {}
    }

    /// Reads up to the blank line; bodies are not expected (GET/HEAD only).
    private func readRequest(_ client: Int32) -> Request? {
        var data = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 4096)
        let terminator: [UInt8] = [13, 10, 13, 10]
        while data.count < 65536 {
            let n = recv(client, &chunk, chunk.count, 0)
            if n <= 0 { return nil }
            data += chunk[0..<n]
            if data.count >= 4, (0...(data.count - 4)).contains(where: { Array(data[$0..<$0 + 4]) == terminator }) { break }
        }
        let text = String(decoding: data, as: UTF8.self)
        let lines = text.components(separatedBy: "\r\n")
        let parts = lines.first?.split(separator: " ") ?? []
        guard parts.count >= 2 else { return nil }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var path = String(parts[1])
        if let scheme = path.range(of: "://"), let slash = path[scheme.upperBound...].firstIndex(of: "/") { path = String(path[slash...]) }
        return Request(method: String(parts[0]), path: path, headers: headers)
    }
}

/// `bytes=N-` or `bytes=N-M` → (N, M).
private func parseRange(_ value: String) -> (Int, Int?)? {
    guard value.hasPrefix("bytes="), !value.contains(",") else { return nil }
    let spec = value.dropFirst(6).split(separator: "-", omittingEmptySubsequences: false)
    guard spec.count == 2, let start = Int(spec[0]) else { return nil }
    return (start, spec[1].isEmpty ? nil : Int(spec[1]))
}

private func reasonPhrase(_ status: Int) -> String {
    switch status {
    case 200: return "OK"
    case 206: return "Partial Content"
    case 403: return "Forbidden"
    case 404: return "Not Found"
    case 416: return "Range Not Satisfiable"
    case 500: return "Internal Server Error"
    default: return "Status"
    }
}

/// Why the test server could not start.
public struct ServerError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
