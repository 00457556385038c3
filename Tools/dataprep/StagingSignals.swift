import DataPrep
import Foundation

/// Ctrl-C or SIGTERM while a staged output is being written: delete the hidden staging folder
/// (592 MB for a 50k-image split used to stay behind), then die of the same signal, so the shell
/// still sees 130 / 143 and nothing was committed. SIGKILL cannot be caught; its leftovers are
/// removed by the next run (`StagedDirectory`'s lock files say which ones are dead).
enum StagingSignals {
    private static let installed = OnceFlag()

    /// Starts catching SIGINT and SIGTERM for the rest of the process (idempotent). `train`
    /// keeps its own SIGINT handling (save a checkpoint, then stop) and does not call this.
    static func install() {
        guard installed.claim() else { return }
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler {
                installed.markDying()
                StagedDirectory.discardAllActive()
                // libdispatch receives the signal with it blocked (signalfd on Linux): a plain
                // kill() would come back to this source. Restore the default action, unblock
                // it on this thread and raise it here.
                signal(sig, SIG_DFL)
                var set = sigset_t()
                sigemptyset(&set)
                sigaddset(&set, sig)
                pthread_sigmask(SIG_UNBLOCK, &set, nil)
                raise(sig)
            }
            source.resume()
            installed.keep(source)
        }
    }

    /// Called on the main thread's error path: when a signal is being handled, the error is
    /// most likely the staging folder vanishing under the writer; wait to die of the signal
    /// (so the exit status says "interrupted", not 1) instead of exiting first.
    static func holdIfInterrupted() {
        guard installed.isDying else { return }
        while true { pause() }
    }
}

/// A flag set once, whether a signal is being handled, and the signal sources it keeps alive.
private final class OnceFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var done = false
    private var dying = false
    private var sources: [DispatchSourceSignal] = []

    func markDying() { lock.lock(); dying = true; lock.unlock() }
    var isDying: Bool { lock.lock(); defer { lock.unlock() }; return dying }

    func claim() -> Bool {
        lock.lock(); defer { lock.unlock() }
        if done { return false }
        done = true
        return true
    }

    func keep(_ source: DispatchSourceSignal) { lock.lock(); sources.append(source); lock.unlock() }
}
