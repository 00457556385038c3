import DataPrep
import Foundation

/// The sweep's progress, one line per variant start and finish with the counts of variants
/// done, running and left, sent to the caller's notes and appended to `DIR/sweep.log`. Called
/// from the workers, so it is locked.
final class SweepProgress: @unchecked Sendable {
    private let lock = NSLock()
    private let note: (String) -> Void
    private let log: FileHandle?
    private var done: Int, running = 0, left: Int, failed = 0

    init(directory: String, total: Int, alreadyDone: Int, note: @escaping (String) -> Void) throws {
        let path = joinPath(directory, "sweep.log")
        if !FileIO.exists(path) { try FileIO.writeAtomically([], to: path) }
        log = FileHandle(forWritingAtPath: path)
        _ = try log?.seekToEnd()
        self.note = note
        done = alreadyDone
        left = total - alreadyDone
    }

    deinit { try? log?.close() }

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
        let text = "[\(done) done, \(failed > 0 ? "\(failed) failed, " : "")\(running) running, \(left) left] \(line())"
        note(text)
        log?.write(Data((text + "\n").utf8))
    }
}
