import Foundation

/// Runs `count` jobs on `workers` dedicated threads, each taking the next job in index order.
///
/// Dedicated threads rather than `DispatchQueue.concurrentPerform`: each job trains a model
/// whose layers themselves dispatch `concurrentPerform` work, and GCD caps its pool at the core
/// count, so a sweep holding pool threads for whole variants would leave the layers fewer of
/// them than `--threads` promised (and `--concurrent` above the core count could not be met).
enum VariantPool {
    /// The jobs' results in index order; all jobs run even when some throw.
    static func run<T: Sendable>(count: Int, workers: Int, _ job: @escaping @Sendable (Int) throws -> T) -> [Result<T, any Error>] {
        let state = PoolState<T>(count: count)
        let finished = DispatchGroup()
        for _ in 0..<max(1, min(workers, count)) {
            finished.enter()
            let thread = Thread {
                while let i = state.next() { state.set(i, Result { try job(i) }) }
                finished.leave()
            }
            thread.stackSize = 8 << 20  // the main thread's 8 MiB, whatever the default for other threads
            thread.start()
        }
        finished.wait()
        return state.results()
    }
}

/// The pool's next job index and result slots, behind one lock.
private final class PoolState<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var cursor = 0
    private var slots: [Result<T, any Error>?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func next() -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard cursor < slots.count else { return nil }
        cursor += 1
        return cursor - 1
    }

    func set(_ index: Int, _ result: Result<T, any Error>) {
        lock.lock(); defer { lock.unlock() }
        slots[index] = result
    }

    func results() -> [Result<T, any Error>] {
        lock.lock(); defer { lock.unlock() }
        return slots.map { $0! }
    }
}
