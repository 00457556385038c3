import ArgumentParser
import Foundation
import Train

/// Turns Ctrl-C into a flag the training loop polls between steps, so the run can save a
/// checkpoint and exit cleanly instead of dying mid-write.
final class TrainInterruptFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var raised = false
    private var source: DispatchSourceSignal?

    /// Starts catching SIGINT. Further Ctrl-Cs are ignored while the checkpoint is written.
    func install() {
        signal(SIGINT, SIG_IGN)
        let s = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        s.setEventHandler { [weak self] in
            guard let self else { return }
            self.lock.lock(); self.raised = true; self.lock.unlock()
            CommandSupport.note("\ninterrupt: finishing the current step, then saving a checkpoint…")
        }
        s.resume()
        source = s
    }

    var isRaised: Bool {
        lock.lock(); defer { lock.unlock() }
        return raised
    }
}

/// One status line on stderr with the epoch's running loss and accuracy, redrawn at most ten
/// times a second, only when stderr is a terminal.
final class TrainProgressLine {
    private let enabled: Bool
    private var lastDraw = Date.distantPast
    private var drawn = false
    private var epochStart = Date()
    private var startBatch = 0

    init(enabled: Bool) { self.enabled = enabled && isatty(STDERR_FILENO) == 1 }

    func update(epoch: Int, epochs: Int, batch: Int, batches: Int, loss: Double, accuracy: Double, batchSize: Int) {
        guard enabled else { return }
        let now = Date()
        if batch <= 1 || batch < startBatch { epochStart = now; startBatch = batch }
        guard batch == batches || now.timeIntervalSince(lastDraw) > 0.1 else { return }
        lastDraw = now
        drawn = true
        let width = 24, filled = width * batch / max(1, batches)
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let rate = Double((batch - startBatch) * batchSize) / max(now.timeIntervalSince(epochStart), 1e-6)
        let line = String(format: "\repoch %d/%d [%@] %d/%d  loss %.4f  acc %.4f  %.0f samples/s ",
                          epoch, epochs, bar, batch, batches, loss, accuracy, rate)
        FileHandle.standardError.write(Data(line.utf8))
    }

    func clear() {
        if drawn { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        drawn = false
    }
}

extension OptimizerConfig.Kind: ExpressibleByArgument {}
