import Foundation
import Testing
import TestSupport
import DataPrep

/// `dataprep download` run as a user would, against `LocalHTTPServer` on 127.0.0.1 only
/// (`--no-default-mirrors` everywhere, so no real host is ever contacted).
@Suite struct DownloadCommandTests {
    /// A catalog file describing the MNIST fixture pair, served by `server` under `/fx/`.
    private func fixtureCatalog(in dir: String) throws -> (path: String, images: [UInt8], labels: [UInt8]) {
        let images = try FileIO.read(TestPaths.fixture("idx/mnist/train-images-idx3-ubyte.gz"))
        let labels = try FileIO.read(TestPaths.fixture("idx/mnist/train-labels-idx1-ubyte.gz"))
        let catalog = try DownloadCatalog(datasets: [RemoteDataset(
            name: "fixture-mnist", summary: "fixtures", mirrors: ["https://invalid.example/never-used/"],
            files: [RemoteFile(name: "train-images-idx3-ubyte.gz", size: images.count, md5: MD5.hexHash(images)),
                    RemoteFile(name: "train-labels-idx1-ubyte.gz", size: labels.count, sha256: SHA256.hexHash(labels))])])
        let path = dir + "/catalog.json"
        try FileIO.writeAtomically(Array(try JSONEncoder().encode(catalog)), to: path)
        return (path, images, labels)
    }

    private func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "dataprep-cli-download-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func downloadsThenVerifiesWithJSON() throws {
        let server = try LocalHTTPServer()
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (catalog, images, labels) = try fixtureCatalog(in: dir)
        server.route("/fx/train-images-idx3-ubyte.gz", [.file(images)])
        server.route("/fx/train-labels-idx1-ubyte.gz", [.file(labels)])
        let args = ["download", "fixture-mnist", "--dir", dir + "/data", "--catalog", catalog,
                    "--mirror", server.baseURL + "fx/", "--no-default-mirrors", "--no-progress"]

        let first = try CommandRunner.run(args)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("downloaded train-images-idx3-ubyte.gz  \(images.count) bytes  sha256 \(SHA256.hexHash(images))"))
        #expect(first.stdout.contains("fixture-mnist: 2 file(s) verified"))
        #expect(try FileIO.read(dir + "/data/train-labels-idx1-ubyte.gz") == labels)
        #expect(server.requests.count == 2)

        let second = try CommandRunner.run(args + ["--json"])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(server.requests.count == 2, "verified files are not requested again")
        let json = try #require(JSONSerialization.jsonObject(with: Data(second.stdout.utf8)) as? [String: Any])
        let files = try #require(json["files"] as? [[String: Any]])
        #expect(files.map { $0["status"] as? String } == ["verified", "verified"])
        #expect(files[1]["sha256"] as? String == SHA256.hexHash(labels))
        #expect(files[0]["md5"] as? String == MD5.hexHash(images))
        #expect((json["errors"] as? [Any])?.isEmpty == true)
    }

    @Test func failureExitsOneNamingEachURLAndReason() throws {
        let server = try LocalHTTPServer()
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (catalog, images, labels) = try fixtureCatalog(in: dir)
        server.route("/a/train-images-idx3-ubyte.gz", [.status(404)])
        server.route("/b/train-images-idx3-ubyte.gz", [.html("<!DOCTYPE html><html><head><title>Access denied</title></head></html>")])
        server.route("/a/train-labels-idx1-ubyte.gz", [.file(labels)])
        _ = images
        let result = try CommandRunner.run(["download", "fixture-mnist", "--dir", dir + "/data", "--catalog", catalog,
                                            "--mirror", server.baseURL + "a/", "--mirror", server.baseURL + "b/",
                                            "--no-default-mirrors", "--json"])
        #expect(result.status == 1)
        #expect(result.stderr.contains(server.baseURL + "a/train-images-idx3-ubyte.gz: HTTP 404 Not Found"), "\(result.stderr)")
        #expect(result.stderr.contains(server.baseURL + "b/train-images-idx3-ubyte.gz: HTML page instead of data"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/data/train-images-idx3-ubyte.gz"))
        let json = try #require(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect((json["files"] as? [[String: Any]])?.count == 1, "the good file is still fetched and reported")
        let errors = try #require(json["errors"] as? [[String: Any]])
        #expect(errors.first?["file"] as? String == "train-images-idx3-ubyte.gz")
        #expect((errors.first?["attempts"] as? [[String: Any]])?.count == 2)
    }

    @Test func unreachableMirrorExitsOne() throws {
        let closed = try LocalHTTPServer()
        let url = closed.baseURL
        closed.stop()
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let result = try CommandRunner.run(["download", "mnist", "--dir", dir, "--mirror", url,
                                            "--no-default-mirrors", "--retries", "0", "--timeout", "5"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("error: train-images-idx3-ubyte.gz: every mirror failed (1 tried):"), "\(result.stderr)")
        #expect(result.stderr.contains(url + "train-images-idx3-ubyte.gz: "))
    }

    @Test func badUsageExits64() throws {
        let unknown = try CommandRunner.run(["download", "imagenet", "--dir", "/tmp/x", "--mirror", "http://127.0.0.1:1/", "--no-default-mirrors"])
        #expect(unknown.status == 64)
        #expect(unknown.stderr.contains("unknown dataset 'imagenet': expected one of mnist, fashion-mnist, cifar10, cifar100"), "\(unknown.stderr)")
        #expect(try CommandRunner.run(["download", "mnist", "--dir", "/tmp/x", "--no-default-mirrors"]).status == 64)
        #expect(try CommandRunner.run(["download", "mnist", "--dir", "/tmp/x", "--mirror", "ftp://x/", "--no-default-mirrors"]).status == 64)
        #expect(try CommandRunner.run(["download", "mnist"]).status == 64)
        let help = try CommandRunner.run(["download", "--help"])
        #expect(help.status == 0)
        for option in ["--dir", "--mirror", "--no-default-mirrors", "--catalog", "--json", "--no-progress", "--timeout"] {
            #expect(help.stdout.contains(option), "\(option)")
        }
    }
}
