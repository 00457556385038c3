import DataPrep
import Foundation

/// The sweep's progress, one line per variant start and finish with the counts of variants
/// done, running and left, sent to the caller's notes and appended to `DIR/sweep.log`. Called
/// from the workers, so it is locked. Across the ranks of an MPI job each rank counts its own
/// share and prefixes its lines with `rank R:`; the log is opened for appending (`O_APPEND`),
/// so the ranks' lines never overwrite each other.
final class SweepProgress: @unchecked Sendable {
    private let lock = NSLock()
    private let note: (String) -> Void
    private let log: FileHandle?
    private let prefix: String
    private var done: Int, running = 0, left: Int, failed = 0

    /// - Parameter rank: the rank whose share this counts (nil: a sweep in one process).
    init(directory: String, total: Int, alreadyDone: Int, rank: Int? = nil, note: @escaping (String) -> Void) throws {
        let path = joinPath(directory, "sweep.log")
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        log = descriptor < 0 ? nil : FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        self.note = note
        prefix = rank.map { "rank \($0): " } ?? ""
        done = alreadyDone
        left = total - alreadyDone
    }

    /// Counts only a rank's share from here on: `variants` to train, none done yet.
    func countShare(_ variants: Int) {
        lock.lock(); defer { lock.unlock() }
        (done, left) = (0, variants)
    }

    func started(_ name: String, resumed: Bool) {
        update { running += 1; left -= 1 } line: { "start \(name)\(resumed ? " (resumed)" : "")" }
    }

    func finished(_ name: String, summary: String) {
        update { running -= 1; done += 1 } line: { "done \(name): \(summary)" }
    }

    /// A variant that stopped without finishing: left to do again when `retried` (interrupted,
    /// or an error that ends the sweep), else counted as failed (its loss diverged).
    func stopped(_ name: String, why: String, retried: Bool = true) {
        update { running -= 1; if retried { left += 1 } else { failed += 1 } } line: { "stopped \(name): \(why)" }
    }

    func say(_ line: String) { update({}) { line } }

    private func update(_ change: () -> Void, line: () -> String) {
        lock.lock()
        defer { lock.unlock() }
        change()
        let text = prefix + "[\(done) done, \(failed > 0 ? "\(failed) failed, " : "")\(running) running, \(left) left] \(line())"
        note(text)
        log?.write(Data((text + "\n").utf8))
    }
}
