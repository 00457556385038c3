import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TestSupport

/// The test server itself: HEAD, explicit ranges, 416, unknown paths, request recording.
@Suite struct DownloadTestServerTests {
    private func fetch(_ url: String, method: String = "GET", range: String? = nil) async throws -> (Int, [UInt8], String?) {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        if let range { request.setValue(range, forHTTPHeaderField: "Range") }
        let (data, response) = try await URLSession(configuration: .ephemeral).data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        let contentRange = http.allHeaderFields.first { ($0.key as? String)?.lowercased() == "content-range" }?.value as? String
        return (http.statusCode, Array(data), contentRange)
    }

    @Test func servesHeadRangesAndErrors() async throws {
        let server = try LocalHTTPServer()
        let bytes = (0..<100).map { UInt8($0) }
        server.route("/f", [.file(bytes)])
        let head = try await fetch(server.baseURL + "f", method: "HEAD")
        #expect(head.0 == 200 && head.1.isEmpty)
        let slice = try await fetch(server.baseURL + "f", range: "bytes=10-19")
        #expect(slice.0 == 206 && slice.1 == Array(bytes[10...19]) && slice.2 == "bytes 10-19/100")
        let tail = try await fetch(server.baseURL + "f", range: "bytes=90-")
        #expect(tail.0 == 206 && tail.1 == Array(bytes[90...]))
        let past = try await fetch(server.baseURL + "f", range: "bytes=100-")
        #expect(past.0 == 416 && past.2 == "bytes */100")
        let missing = try await fetch(server.baseURL + "nothing")
        #expect(missing.0 == 404)
        #expect(server.requests.map(\.method) == ["HEAD", "GET", "GET", "GET", "GET"])
        #expect(server.requests(for: "/f")[1].headers["range"] == "bytes=10-19")
    }
}
