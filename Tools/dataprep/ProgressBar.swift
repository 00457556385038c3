import Foundation
import DataPrep

/// A progress bar on stderr, drawn only when stderr is a terminal and the work lasts long
/// enough to notice (nothing appears for runs under half a second), at most ten redraws a second.
final class ProgressBar: @unchecked Sendable {
    private let label: String
    private let enabled: Bool
    private let start = Date()
    private var lastDraw = Date.distantPast
    private var drawn = false
    private let lock = NSLock()

    init(label: String, enabled: Bool = true) {
        self.label = label
        self.enabled = enabled && isatty(STDERR_FILENO) == 1
    }

    /// Records progress; safe to call from any thread.
    func update(_ done: Int, of total: Int) {
        guard enabled, total > 0 else { return }
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        let elapsed = now.timeIntervalSince(start)
        guard elapsed > 0.5, done == total || now.timeIntervalSince(lastDraw) > 0.1 else { return }
        lastDraw = now
        drawn = true
        let width = 30
        let filled = width * done / total
        let rate = Double(done) / max(elapsed, 1e-9)
        let eta = rate > 0 ? Double(total - done) / rate : 0
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let line = String(format: "\r%@ [%@] %d/%d  %.0f/s  eta %.0fs ", label, bar, done, total, rate, eta)
        FileHandle.standardError.write(Data(line.utf8))
    }

    /// Clears the bar's line so the next output starts clean.
    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if drawn { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        drawn = false
    }
}
