import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Fetches catalog files into a folder, verifying size then checksums, resuming partial
/// downloads, and falling back mirror by mirror.
///
/// For each file:
/// 1. `DIR/NAME` already there with the right size and checksums → `.verified`, no request.
/// 2. Otherwise each mirror in order: GET into `DIR/.partial/NAME`, with `Range: bytes=N-` if a
///    partial file of N bytes exists (206 → append and report `.resumed`; 200 → start over).
///    A body starting like an HTML page, a status other than 200/206, or an announced length
///    other than the catalog size stops that mirror at once. A transfer that breaks after making
///    progress is resumed on the same mirror up to `retriesPerMirror` times.
/// 3. The finished partial file is checked for size, then hashed (SHA-256 and MD5 against every
///    checksum the catalog has), fsynced and renamed into place, then the folder is fsynced.
///    A file with the wrong size or hash is deleted; nothing unverified ever sits at `DIR/NAME`.
///
/// Blocking: call it from a thread that may wait (the CLI, a test); the network work runs on
/// URLSession's own queue.
public struct Downloader: Sendable {
    public var timeouts: TransferTimeouts
    /// Extra tries on one mirror after a transfer broke having made progress (each resumes).
    public var retriesPerMirror: Int
    private let onEvent: @Sendable (DownloadEvent) -> Void

    /// - Parameters:
    ///   - timeouts: idle (default 30 s) and total (default 1 h) time per request.
    ///   - retriesPerMirror: ≥ 0, default 2.
    ///   - onEvent: progress and notices, called from URLSession's queue; must be thread-safe.
    public init(timeouts: TransferTimeouts = TransferTimeouts(), retriesPerMirror: Int = 2,
                onEvent: @escaping @Sendable (DownloadEvent) -> Void = { _ in }) {
        precondition(retriesPerMirror >= 0, "retriesPerMirror must be >= 0, got \(retriesPerMirror)")
        self.timeouts = timeouts
        self.retriesPerMirror = retriesPerMirror
        self.onEvent = onEvent
    }

    /// Every file of `dataset` into `directory`, trying `mirrors` (default: the dataset's own)
    /// in order. A failed file does not stop the others; the results are in catalog order.
    public func download(_ dataset: RemoteDataset, mirrors: [String]? = nil,
                         into directory: String) -> [Result<DownloadedFile, DownloadError>] {
        dataset.files.map { file in
            Result { () throws(DownloadError) -> DownloadedFile in
                try fetch(file, mirrors: mirrors ?? dataset.mirrors, into: directory)
            }
        }
    }

    /// Puts `file` at `directory/NAME`, verified.
    /// - Throws: `DownloadError.allMirrorsFailed` naming each URL and why; `.noMirrors`;
    ///   `.io` for local failures (cannot create the folder, disk full, …).
    public func fetch(_ file: RemoteFile, mirrors: [String], into directory: String) throws(DownloadError) -> DownloadedFile {
        let finalPath = joinPath(directory, file.name)
        try local { try FileIO.makeDirectories(directory) }
        if FileIO.exists(finalPath) {
            onEvent(.checkingExisting(file: file.name))
            switch try check(finalPath, against: file) {
            case .success(let digest):
                let result = DownloadedFile(name: file.name, path: finalPath, status: .verified, bytes: digest.byteCount,
                                            sha256: digest.sha256, md5: digest.md5, url: nil)
                onEvent(.finished(result))
                return result
            case .failure(let problem):
                onEvent(.existingInvalid(file: file.name, reason: "\(problem)"))
            }
        }
        guard !mirrors.isEmpty else { throw .noMirrors(dataset: file.name) }
        let partialDir = joinPath(directory, ".partial")
        let partialPath = joinPath(partialDir, file.name)
        try local { try FileIO.makeDirectories(partialDir) }

        var attempts: [MirrorAttempt] = []
        for mirror in mirrors {
            let url = fileURL(mirror: mirror, file: file.name)
            var retries = 0
            var resumed = false
            while true {
                let step = try attempt(url, file: file, partialPath: partialPath)
                resumed = resumed || step.resumed
                switch step.result {
                case .success(let digest):
                    try install(partialPath, at: finalPath, directory: directory, partialDir: partialDir)
                    let result = DownloadedFile(name: file.name, path: finalPath, status: resumed ? .resumed : .downloaded,
                                                bytes: digest.byteCount, sha256: digest.sha256, md5: digest.md5, url: url)
                    onEvent(.finished(result))
                    return result
                case .failure(let failure):
                    let failed = MirrorAttempt(url: url, failure: failure)
                    attempts.append(failed)
                    onEvent(.attemptFailed(file: file.name, attempt: failed))
                    if step.madeProgress && failure.keepsPartial && retries < retriesPerMirror {
                        retries += 1
                        continue
                    }
                }
                break
            }
        }
        rmdir(partialDir)  // keeps a resumable partial file; removes the folder only if empty
        throw .allMirrorsFailed(file: file.name, attempts: attempts)
    }

    // MARK: One request

    private struct Step {
        var result: Result<FileDigest, MirrorFailure>
        var resumed = false
        var madeProgress = false
    }

    /// One GET of `url` into the partial file, then size and hash checks if it completed.
    private func attempt(_ url: String, file: RemoteFile, partialPath: String) throws(DownloadError) -> Step {
        var offset = FileIO.exists(partialPath) ? (try? FileIO.size(partialPath)) ?? 0 : 0
        if let size = file.size, offset >= size {
            // Complete (a run stopped before the rename) or over-long: check instead of asking for nothing.
            if offset == size, case .success(let digest)? = try? check(partialPath, against: file) {
                return Step(result: .success(digest))
            }
            unlink(partialPath)
            offset = 0
        }
        guard let parsed = URL(string: url), parsed.scheme != nil else {
            return Step(result: .failure(.transport(reason: "not a valid URL", bytesReceived: 0)))
        }
        onEvent(.requesting(file: file.name, url: url, resumeFrom: offset))
        let fd = open(partialPath, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .io(path: partialPath, reason: String(cString: strerror(errno))) }
        lseek(fd, off_t(offset), SEEK_SET)
        let name = file.name, events = onEvent
        var outcome = HTTPTransfer.get(parsed, into: fd, resumeOffset: offset, expectedSize: file.size, timeouts: timeouts) {
            bytes, total in events(.progress(file: name, bytes: bytes, total: total))
        }
        if outcome.status == 416 && offset > 0 {
            // The server says our partial file is not a prefix it can continue: start over once.
            _ = ftruncate(fd, 0)
            lseek(fd, 0, SEEK_SET)
            offset = 0
            onEvent(.requesting(file: file.name, url: url, resumeFrom: 0))
            outcome = HTTPTransfer.get(parsed, into: fd, resumeOffset: 0, expectedSize: file.size, timeouts: timeouts) {
                bytes, total in events(.progress(file: name, bytes: bytes, total: total))
            }
        }
        let synced = fsync(fd) == 0
        let syncError = String(cString: strerror(errno))
        close(fd)
        if let localError = outcome.localError { throw .io(path: partialPath, reason: localError) }
        var step = Step(result: .failure(.httpStatus(outcome.status)), resumed: outcome.resumed,
                        madeProgress: outcome.bytesWritten > 0)
        if let failure = outcome.failure {
            // An empty partial file (the connection failed) has nothing worth resuming.
            if !failure.keepsPartial || (try? FileIO.size(partialPath)) == 0 { unlink(partialPath) }
            step.result = .failure(failure)
            return step
        }
        guard synced else { throw .io(path: partialPath, reason: "fsync: \(syncError)") }
        onEvent(.verifying(file: file.name))
        let verdict = try check(partialPath, against: file)
        if case .failure(let failure) = verdict, !failure.keepsPartial { unlink(partialPath) }
        step.result = verdict
        return step
    }

    // MARK: Verification and installation

    /// Size first (cheap), then every checksum the catalog has.
    private func check(_ path: String, against file: RemoteFile) throws(DownloadError) -> Result<FileDigest, MirrorFailure> {
        let actualSize = try local { try FileIO.size(path) }
        if let size = file.size, actualSize != size {
            return .failure(actualSize < size ? .truncated(expected: size, received: actualSize)
                                              : .sizeMismatch(expected: size, actual: actualSize))
        }
        onEvent(.verifying(file: file.name))
        let digest = try local { try FileDigest(ofFileAt: path) }
        if let expected = file.sha256, expected != digest.sha256 {
            return .failure(.hashMismatch(algorithm: "sha256", expected: expected, actual: digest.sha256))
        }
        if let expected = file.md5, expected != digest.md5 {
            return .failure(.hashMismatch(algorithm: "md5", expected: expected, actual: digest.md5))
        }
        return .success(digest)
    }

    /// Renames the verified partial file over `finalPath` and makes the rename durable.
    private func install(_ partialPath: String, at finalPath: String, directory: String, partialDir: String) throws(DownloadError) {
        guard rename(partialPath, finalPath) == 0 else {
            throw .io(path: finalPath, reason: "rename from \(partialPath): \(String(cString: strerror(errno)))")
        }
        let dirFD = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dirFD >= 0 {
            fsync(dirFD)
            close(dirFD)
        }
        rmdir(partialDir)  // only succeeds once no other partial file is left in it
    }

    /// Runs a `FileIO` call, turning its `DataPrepError` into `DownloadError.io`.
    private func local<T>(_ body: () throws -> T) throws(DownloadError) -> T {
        do {
            return try body()
        } catch let error as DataPrepError {
            throw .io(path: error.path, reason: error.reason)
        } catch {
            throw .io(path: "", reason: "\(error)")
        }
    }
}

extension MirrorFailure {
    /// Whether the partial file is a good prefix worth resuming from (the transfer just stopped
    /// early), as opposed to wrong bytes that must be deleted.
    var keepsPartial: Bool {
        switch self {
        case .truncated, .transport, .httpStatus: return true
        case .sizeMismatch, .hashMismatch, .htmlInsteadOfData: return false
        }
    }
}
