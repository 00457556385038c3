import Foundation
import DataPrep

/// A progress bar on stderr, drawn only when stderr is a terminal and the work lasts long
/// enough to notice (nothing appears for runs under half a second), at most ten redraws a second.
/// Counts items (`update(_:of:)`) or bytes (`update(bytes:of:)`); `restart(label:)` starts a new
/// stage on the same line, e.g. the next file of a download.
final class ProgressBar: @unchecked Sendable {
    private var label: String
    private let enabled: Bool
    private var start = Date()
    private var lastDraw = Date.distantPast
    private var drawn = false
    private let lock = NSLock()
    private static let width = 30

    init(label: String, enabled: Bool = true) {
        self.label = label
        self.enabled = enabled && isatty(STDERR_FILENO) == 1
    }

    /// Names a new stage and restarts the clock its rate is measured from.
    func restart(label newLabel: String) {
        lock.lock()
        defer { lock.unlock() }
        guard newLabel != label else { return }
        label = newLabel
        start = Date()
    }

    /// Records progress in items; safe to call from any thread.
    func update(_ done: Int, of total: Int) {
        guard total > 0 else { return }
        draw(finished: done == total) { elapsed in
            let rate = Double(done) / max(elapsed, 1e-9)
            let eta = rate > 0 ? Double(total - done) / rate : 0
            return String(format: "%@ %d/%d  %.0f/s  eta %.0fs ",
                          Self.bar(done, total), done, total, rate, eta)
        }
    }

    /// Records progress in bytes (total unknown when the server does not say); any thread.
    func update(bytes: Int, of total: Int?) {
        draw(finished: bytes == total) { elapsed in
            let rate = Double(bytes) / max(elapsed, 1e-9) / 1e6
            guard let total, total > 0 else { return String(format: "%.1f MB  %.1f MB/s ", Double(bytes) / 1e6, rate) }
            return String(format: "%@ %.1f/%.1f MB  %.1f MB/s ",
                          Self.bar(bytes, total), Double(bytes) / 1e6, Double(total) / 1e6, rate)
        }
    }

    /// Clears the bar's line so the next output starts clean.
    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if drawn { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        drawn = false
    }

    private func draw(finished: Bool, _ text: (TimeInterval) -> String) {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        let elapsed = now.timeIntervalSince(start)
        guard elapsed > 0.5, finished || now.timeIntervalSince(lastDraw) > 0.1 else { return }
        lastDraw = now
        drawn = true
        FileHandle.standardError.write(Data(("\r\(label) " + text(elapsed)).utf8))
    }

    private static func bar(_ done: Int, _ total: Int) -> String {
        let filled = min(width, width * done / total)
        return "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "]"
    }
}
