import Foundation
import Testing
import TestSupport
@testable import DataPrep

/// `Downloader` against `LocalHTTPServer` on 127.0.0.1 only: never a real host.
@Suite struct DownloaderTests {
    /// A 300,000-byte payload: big enough that a cut at 100,000 bytes leaves a real partial file.
    static let payload = DownloadTestFiles.payload(count: 300_000)

    /// A catalog entry for `bytes` with every check we have (size, MD5, SHA-256, computed here).
    static func entry(_ name: String, _ bytes: [UInt8]) -> RemoteFile {
        RemoteFile(name: name, size: bytes.count, md5: MD5.hexHash(bytes), sha256: SHA256.hexHash(bytes))
    }

    static func downloader(retries: Int = 2, log: EventLog? = nil) -> Downloader {
        Downloader(timeouts: TransferTimeouts(idle: 10, total: 60), retriesPerMirror: retries) { log?.record($0) }
    }

    @Test func downloadsAndVerifiesFixtureFiles() throws {
        let server = try LocalHTTPServer()
        let dir = try DownloadTestFiles.temporaryDirectory()
        defer { DownloadTestFiles.remove(dir) }
        let images = try FileIO.read(TestPaths.fixture("idx/mnist/train-images-idx3-ubyte.gz"))
        let labels = try FileIO.read(TestPaths.fixture("idx/mnist/train-labels-idx1-ubyte.gz"))
        server.route("/mnist/train-images-idx3-ubyte.gz", [.file(images)])
        server.route("/mnist/train-labels-idx1-ubyte.gz", [.file(labels)])
        let dataset = RemoteDataset(name: "tiny-mnist", mirrors: [server.baseURL + "mnist"],
                                    files: [Self.entry("train-images-idx3-ubyte.gz", images),
                                            Self.entry("train-labels-idx1-ubyte.gz", labels)])
        let log = EventLog()
        let results = Self.downloader(log: log).download(dataset, into: dir + "/out")
        let files = try results.map { try $0.get() }
        #expect(files.map(\.status) == [.downloaded, .downloaded])
        #expect(files[0].url == server.baseURL + "mnist/train-images-idx3-ubyte.gz")
        #expect(files[0].sha256 == SHA256.hexHash(images) && files[0].bytes == images.count)
        #expect(try FileIO.read(dir + "/out/train-images-idx3-ubyte.gz") == images)
        #expect(try FileIO.read(dir + "/out/train-labels-idx1-ubyte.gz") == labels)
        #expect(!FileIO.exists(dir + "/out/.partial"), "the staging folder is removed once empty")
        let requests = server.requests
        #expect(requests.count == 2 && requests.allSatisfy { $0.method == "GET" && $0.headers["range"] == nil })
        #expect(requests.allSatisfy { $0.headers["accept-encoding"] == "identity" })
        #expect(log.progressMaximum(for: "train-images-idx3-ubyte.gz") == images.count)
    }

    @Test func presentFileIsVerifiedWithoutARequest() throws {
        let server = try LocalHTTPServer()
        let dir = try DownloadTestFiles.temporaryDirectory()
        defer { DownloadTestFiles.remove(dir) }
        server.route("/a.bin", [.file(Self.payload)])
        try FileIO.writeAtomically(Self.payload, to: dir + "/a.bin")
        let file = try Self.downloader().fetch(Self.entry("a.bin", Self.payload), mirrors: [server.baseURL], into: dir)
        #expect(file.status == .verified)
        #expect(file.url == nil)
        #expect(file.sha256 == SHA256.hexHash(Self.payload))
        #expect(server.requests.isEmpty)
    }

    @Test func presentButCorruptFileIsReplaced() throws {
        let server = try LocalHTTPServer()
        let dir = try DownloadTestFiles.temporaryDirectory()
        defer { DownloadTestFiles.remove(dir) }
        server.route("/a.bin", [.file(Self.payload)])
        var corrupt = Self.payload
        corrupt[1234] ^= 0xff
        try FileIO.writeAtomically(corrupt, to: dir + "/a.bin")
        let log = EventLog()
        let file = try Self.downloader(log: log).fetch(Self.entry("a.bin", Self.payload), mirrors: [server.baseURL], into: dir)
        #expect(file.status == .downloaded)
        #expect(try FileIO.read(dir + "/a.bin") == Self.payload)
        #expect(log.events.contains { if case .existingInvalid(_, let reason) = $0 { return reason.contains("sha256 mismatch") } else { return false } })
    }

    @Test func resumesAPartialFileWithARangeRequest() throws {
        let server = try LocalHTTPServer()
        let dir = try DownloadTestFiles.temporaryDirectory()
        defer { DownloadTestFiles.remove(dir) }
        server.route("/a.bin", [.file(Self.payload)])
        try FileIO.makeDirectories(dir + "/.partial")
        try FileIO.writeAtomically(Array(Self.payload[..<100_000]), to: dir + "/.partial/a.bin")
        let file = try Self.downloader().fetch(Self.entry("a.bin", Self.payload), mirrors: [server.baseURL], into: dir)
        #expect(file.status == .resumed)
        #expect(server.requests.map { $0.headers["range"] } == ["bytes=100000-"])
        #expect(try FileIO.read(dir + "/a.bin") == Self.payload)
        #expect(file.sha256 == SHA256.hexHash(Self.payload))
    }

    @Test func serverWithoutRangeSupportRestartsFromZero() throws {
        let server = try LocalHTTPServer()
        let dir = try DownloadTestFiles.temporaryDirectory()
        defer { DownloadTestFiles.remove(dir) }
        server.route("/a.bin", [.file(Self.payload, supportsRange: false)])
        try FileIO.makeDirectories(dir + "/.partial")
        // A wrong prefix: only a full restart (not an append) can produce the right hash.
        try FileIO.writeAtomically([UInt8](repeating: 0xee, count: 50_000), to: dir + "/.partial/a.bin")
        let file = try Self.downloader().fetch(Self.entry("a.bin", Self.payload), mirrors: [server.baseURL], into: dir)
        #expect(file.status == .downloaded)
        #expect(server.requests.map { $0.headers["range"] } == ["bytes=50000-"])
        #expect(try FileIO.read(dir + "/a.bin") == Self.payload)
    }

    @Test func completePartialFileIsInstalledWithoutARequest() throws {
        let server = try LocalHTTPServer()
        let dir = try DownloadTestFiles.temporaryDirectory()
        defer { DownloadTestFiles.remove(dir) }
        server.route("/a.bin", [.status(500)])
        try FileIO.makeDirectories(dir + "/.partial")
        try FileIO.writeAtomically(Self.payload, to: dir + "/.partial/a.bin")   // a run died before the rename
        let file = try Self.downloader().fetch(Self.entry("a.bin", Self.payload), mirrors: [server.baseURL], into: dir)
        #expect(file.status == .downloaded)
        #expect(server.requests.isEmpty)
        #expect(try FileIO.read(dir + "/a.bin") == Self.payload)
    }

    @Test func wrongHashNamesTheURLAndBothHashesAndLeavesNoFile() throws {
        let server = try LocalHTTPServer()
        let dir = try DownloadTestFiles.temporaryDirectory()
        defer { DownloadTestFiles.remove(dir) }
        var tampered = Self.payload
        tampered[299_999] ^= 0x01
        server.route("/a.bin", [.file(tampered)])
        let url = server.baseURL + "a.bin"
        let entry = Self.entry("a.bin", Self.payload)
        let error = try #require(throws: DownloadError.self) {
            try Self.downloader().fetch(entry, mirrors: [server.baseURL], into: dir)
        }
        #expect(error == .allMirrorsFailed(file: "a.bin", attempts: [
            MirrorAttempt(url: url, failure: .hashMismatch(algorithm: "sha256", expected: entry.sha256!, actual: SHA256.hexHash(tampered))),
        ]))
        let text = "\(error)"
        #expect(text.contains(url) && text.contains(entry.sha256!) && text.contains(SHA256.hexHash(tampered)))
        #expect(!FileIO.exists(dir + "/a.bin"))
        #expect(!FileIO.exists(dir + "/.partial"), "wrong bytes are not kept for resuming")
    }

    @Test func md5OnlyEntryIsCheckedByMD5() throws {
        let server = try LocalHTTPServer()
        let dir = try DownloadTestFiles.temporaryDirectory()
        defer { DownloadTestFiles.remove(dir) }
        server.route("/a.bin", [.file(Self.payload)])
        let wrongMD5 = RemoteFile(name: "a.bin", size: Self.payload.count, md5: "ec29112dd5afc8b62a52d9c1d73c3e9c")
        let error = try #require(throws: DownloadError.self) {
            try Self.downloader().fetch(wrongMD5, mirrors: [server.baseURL], into: dir)
        }
        #expect("\(error)".contains("md5 mismatch: expected ec29112dd5afc8b62a52d9c1d73c3e9c, got \(MD5.hexHash(Self.payload))"))
    }

    @Test(arguments: [
        "<!DOCTYPE html>\n<html><head><title>Sign in to continue</title></head><body>Please log in to download.</body></html>",
        "  <html><head><title>Sign in to continue</title></head></html>",   // shorter than the 64-byte sniff window
    ])
    func htmlPageIsReportedAsSuch(page: String) throws {
        let server = try LocalHTTPServer()
        let dir = try DownloadTestFiles.temporaryDirectory()
        defer { DownloadTestFiles.remove(dir) }
        server.route("/a.bin", [.html(page)])
        let error = try #require(throws: DownloadError.self) {
            try Self.downloader().fetch(Self.entry("a.bin", Self.payload), mirrors: [server.baseURL], into: dir)
        }
        guard case .allMirrorsFailed(_, let attempts) = error, attempts.count == 1,
              case .htmlInsteadOfData(let status, let type, let excerpt) = attempts[0].failure else {
            Issue.record("expected htmlInsteadOfData, got \(error)")
            return
        }
        #expect(status == 200 && type == "text/html; charset=utf-8")
        #expect(excerpt == "<title>Sign in to continue</title>")
        #expect("\(error)".contains("HTML page instead of data"))
        #expect(!FileIO.exists(dir + "/a.bin") && !FileIO.exists(dir + "/.partial/a.bin"))
    }

    @Test func notFoundOnTheFirstMirrorFallsBackToTheSecond() throws {
        let server = try LocalHTTPServer()
        let dir = try DownloadTestFiles.temporaryDirectory()
        defer { DownloadTestFiles.remove(dir) }
        server.route("/dead/a.bin", [.status(404)])
        server.route("/live/a.bin", [.file(Self.payload)])
        let log = EventLog()
        let file = try Self.downloader(log: log).fetch(Self.entry("a.bin", Self.payload),
                                                       mirrors: [server.baseURL + "dead/", server.baseURL + "live"], into: dir)
        #expect(file.status == .downloaded)
        #expect(file.url == server.baseURL + "live/a.bin")
        #expect(server.requests.map(\.path) == ["/dead/a.bin", "/live/a.bin"])
        #expect(log.failures == [MirrorAttempt(url: server.baseURL + "dead/a.bin", failure: .httpStatus(404))])
        #expect("\(log.failures[0])".hasSuffix("dead/a.bin: HTTP 404 Not Found"))
    }

    @Test func brokenTransferIsResumedOnTheSameMirror() throws {
        let server = try LocalHTTPServer()
        let dir = try DownloadTestFiles.temporaryDirectory()
        defer { DownloadTestFiles.remove(dir) }
        server.route("/a.bin", [.truncated(Self.payload, after: 100_000), .file(Self.payload)])
        let log = EventLog()
        let file = try Self.downloader(log: log).fetch(Self.entry("a.bin", Self.payload), mirrors: [server.baseURL], into: dir)
        #expect(file.status == .resumed)
        #expect(server.requests.map { $0.headers["range"] } == [nil, "bytes=100000-"])
        #expect(try FileIO.read(dir + "/a.bin") == Self.payload)
        #expect(log.failures.count == 1)
    }

    @Test func alwaysBrokenTransferFailsAndKeepsThePartialFile() throws {
        let server = try LocalHTTPServer()
        let dir = try DownloadTestFiles.temporaryDirectory()
        defer { DownloadTestFiles.remove(dir) }
        // Every answer stops 1,000 bytes in: progress each time, never complete.
        server.route("/a.bin", [.truncated(Self.payload, after: 1_000)])
        let error = try #require(throws: DownloadError.self) {
            try Self.downloader(retries: 2).fetch(Self.entry("a.bin", Self.payload), mirrors: [server.baseURL], into: dir)
        }
        guard case .allMirrorsFailed(_, let attempts) = error else { Issue.record("\(error)"); return }
        #expect(attempts.count == 3, "one try and two resuming retries: \(error)")
        #expect(server.requests.map { $0.headers["range"] } == [nil, "bytes=1000-", "bytes=2000-"])
        #expect(try FileIO.size(dir + "/.partial/a.bin") == 3_000, "kept so the next run resumes")
        #expect(!FileIO.exists(dir + "/a.bin"))
    }

    @Test func announcedLengthMismatchStopsBeforeTheBody() throws {
        let server = try LocalHTTPServer()
        let dir = try DownloadTestFiles.temporaryDirectory()
        defer { DownloadTestFiles.remove(dir) }
        server.route("/a.bin", [.file(Array(Self.payload[..<250_000]))])
        let error = try #require(throws: DownloadError.self) {
            try Self.downloader().fetch(Self.entry("a.bin", Self.payload), mirrors: [server.baseURL], into: dir)
        }
        #expect(error == .allMirrorsFailed(file: "a.bin", attempts: [
            MirrorAttempt(url: server.baseURL + "a.bin", failure: .sizeMismatch(expected: 300_000, actual: 250_000)),
        ]))
        #expect("\(error)".contains("size mismatch: expected 300000 bytes, got 250000"))
        #expect(!FileIO.exists(dir + "/.partial/a.bin"))
    }

    @Test func unreachableMirrorAndNoMirrorsAreClearErrors() throws {
        let dir = try DownloadTestFiles.temporaryDirectory()
        defer { DownloadTestFiles.remove(dir) }
        let closed = try LocalHTTPServer()
        let url = closed.baseURL
        closed.stop()
        let error = try #require(throws: DownloadError.self) {
            try Self.downloader().fetch(Self.entry("a.bin", Self.payload), mirrors: [url], into: dir)
        }
        guard case .allMirrorsFailed(_, let attempts) = error, case .transport = attempts.first?.failure else {
            Issue.record("expected a transport failure, got \(error)")
            return
        }
        #expect("\(error)".contains(url + "a.bin: "))
        #expect(!FileIO.exists(dir + "/.partial"), "nothing to resume, so no staging folder is left")
        #expect(throws: DownloadError.noMirrors(dataset: "a.bin")) {
            try Self.downloader().fetch(Self.entry("a.bin", Self.payload), mirrors: [], into: dir)
        }
    }

    @Test func contentRangeParsing() {
        #expect(parseContentRange("bytes 100-199/300")! == (100, 300))
        #expect(parseContentRange("bytes 5-9/*")! == (5, nil))
        #expect(parseContentRange("items 1-2/3") == nil)
        #expect(excerpt(Array("<html><TITLE> Not Found </TITLE>".utf8)) == "<title>Not Found</title>")
    }
}

/// Collects `DownloadEvent`s from URLSession's queue.
final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [DownloadEvent] = []

    func record(_ event: DownloadEvent) {
        lock.lock()
        stored.append(event)
        lock.unlock()
    }

    var events: [DownloadEvent] {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }

    var failures: [MirrorAttempt] {
        events.compactMap { if case .attemptFailed(_, let attempt) = $0 { return attempt } else { return nil } }
    }

    func progressMaximum(for file: String) -> Int {
        events.compactMap { if case .progress(file, let bytes, _) = $0 { return bytes } else { return nil } }.max() ?? 0
    }
}
