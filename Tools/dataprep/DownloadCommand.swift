import ArgumentParser
import DataPrep
import Foundation

/// `dataprep download NAME --dir DIR`: fetch a dataset's canonical files, verified.
struct DownloadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "download",
        abstract: "Download MNIST, Fashion-MNIST, CIFAR-10 or CIFAR-100 (binary) and verify size and checksums.",
        discussion: """
        Files already in DIR with the right size and checksum are not downloaded again ("verified"). Others are \
        fetched into DIR/.partial/ and, only after the size and then the MD5/SHA-256 match the built-in table, \
        renamed into DIR. An interrupted download is resumed with an HTTP Range request. Mirrors are tried in \
        order: every --mirror first, then the dataset's official ones (unless --no-default-mirrors). An HTML \
        page served instead of the file (login walls, error pages) is recognised and reported as such.

        --catalog FILE reads the dataset table from JSON instead: \
        {"datasets": [{"name": "...", "mirrors": ["https://..."], "files": [{"name": "...", "size": N, "md5": "...", "sha256": "..."}]}]}

        Exit status: 0 every file verified; 1 a file could not be fetched (each URL tried and why is printed); \
        64 bad usage.
        """)

    @Argument(help: "Dataset: mnist, fashion-mnist, cifar10 or cifar100 (or a name from --catalog).")
    var dataset: String

    @Option(name: .long, help: "Folder to put the files in (created if missing).", completion: .directory)
    var dir: String

    @Option(name: .customLong("mirror"), help: ArgumentHelp(
        "A base URL to try before the official mirrors (repeatable; tried in the order given).", valueName: "url"))
    var mirrors: [String] = []

    @Flag(name: .long, help: "Use only the --mirror URLs, never the official hosts.")
    var noDefaultMirrors = false

    @Option(name: .long, help: ArgumentHelp("Read the dataset table from this JSON file instead of the built-in one.", valueName: "file"), completion: .file(extensions: ["json"]))
    var catalog: String?

    @Option(name: .long, help: "Seconds without data before a request is abandoned and the next mirror tried.")
    var timeout: Double = 30

    @Option(name: .long, help: "Resuming retries on the same mirror after a connection breaks.")
    var retries: Int = 2

    @Flag(name: .long, help: "Print the result as JSON on stdout; progress and warnings stay on stderr.")
    var json = false

    @OptionGroup var progress: ProgressOption

    func validate() throws {
        guard timeout > 0 else { throw ValidationError("--timeout must be positive, got \(timeout)") }
        guard retries >= 0 else { throw ValidationError("--retries must be at least 0, got \(retries)") }
        for mirror in mirrors where !(mirror.hasPrefix("http://") || mirror.hasPrefix("https://")) {
            throw ValidationError("--mirror must be an http:// or https:// URL, got '\(mirror)'")
        }
        if noDefaultMirrors && mirrors.isEmpty {
            throw ValidationError("--no-default-mirrors needs at least one --mirror URL")
        }
        _ = try resolveDataset()
    }

    func run() throws {
        let remote = try resolveDataset()
        let mirrorList = mirrors + (noDefaultMirrors ? [] : remote.mirrors)
        let bar = ProgressBar(label: "", enabled: progress.enabled)
        let downloader = Downloader(timeouts: TransferTimeouts(idle: timeout), retriesPerMirror: retries) { event in
            switch event {
            case let .progress(file, bytes, total):
                bar.restart(label: file)
                bar.update(bytes: bytes, of: total)
            case let .attemptFailed(file, attempt):
                bar.finish()
                CommandSupport.note("warning: \(file): \(attempt)")
            case let .existingInvalid(file, reason):
                CommandSupport.note("warning: \(file) is present but \(reason); downloading it again")
            case .checkingExisting, .requesting, .verifying, .finished:
                break
            }
        }
        var files: [DownloadedFile] = []
        var failures: [DownloadOutput.Failure] = []
        for (entry, result) in zip(remote.files, downloader.download(remote, mirrors: mirrorList, into: dir)) {
            bar.finish()
            switch result {
            case .success(let file):
                files.append(file)
                if !json { CommandSupport.printLine(Self.line(for: file)) }
            case .failure(let error):
                failures.append(DownloadOutput.Failure(error: error, file: entry.name))
                CommandSupport.error(error)
            }
        }
        if json {
            let output = DownloadOutput(dataset: remote.name, directory: dir, files: files, errors: failures)
            try CommandSupport.printJSON(output)
        } else if failures.isEmpty {
            print("\(remote.name): \(files.count) file(s) verified in \(dir)")
        }
        if !failures.isEmpty { throw ExitCode(1) }
    }

    /// The catalog entry named on the command line; a usage error (exit 64) naming the valid ones.
    private func resolveDataset() throws -> RemoteDataset {
        do {
            let table = try catalog.map(DownloadCatalog.load(jsonAt:)) ?? .builtIn
            return try table.dataset(named: dataset)
        } catch let error as DownloadError {
            throw ValidationError("\(error)")
        }
    }

    /// `downloaded  train-images-idx3-ubyte.gz  9912422 bytes  sha256 …  from URL`.
    private static func line(for file: DownloadedFile) -> String {
        let status = file.status.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)
        let from = file.url.map { "  from \($0)" } ?? ""
        return "\(status) \(file.name)  \(file.bytes) bytes  sha256 \(file.sha256)\(from)"
    }
}

/// The `--json` document.
struct DownloadOutput: Encodable {
    struct Failure: Encodable {
        struct Attempt: Encodable {
            let url: String
            let reason: String
        }

        let file: String
        let message: String
        let attempts: [Attempt]

        init(error: DownloadError, file: String) {
            self.file = file
            message = "\(error)"
            if case .allMirrorsFailed(_, let tried) = error {
                attempts = tried.map { Attempt(url: $0.url, reason: "\($0.failure)") }
            } else {
                attempts = []
            }
        }
    }

    let dataset: String
    let directory: String
    let files: [DownloadedFile]
    let errors: [Failure]
}


