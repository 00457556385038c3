import Dispatch

/// Order-preserving parallel map over an index range.
///
/// Results land at their own index, so the output is identical whatever the thread count or
/// scheduling: the determinism guarantee of every command rests on this.
public enum Parallel {
    /// The number of worker threads to use when the caller does not say: the machine's cores.
    public static var defaultThreads: Int { max(1, sysconfCores()) }

    /// Calls `body(i)` for every `i` in `0..<count` on up to `threads` threads and returns the
    /// results in index order. If any call throws, the error of the lowest failing index is
    /// rethrown (so the reported error does not depend on scheduling either).
    public static func map<T: Sendable>(
        count: Int, threads: Int = Parallel.defaultThreads, _ body: @Sendable (Int) throws -> T
    ) throws -> [T] {
        if count == 0 { return [] }
        let workers = max(1, min(threads, count))
        if workers == 1 { return try (0..<count).map(body) }
        let slots = ResultSlots<T>(count: count)
        let next = AtomicCounter()
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while true {
                let i = next.increment()
                if i >= count { break }
                slots.set(i, Result { try body(i) })
            }
        }
        return try slots.values()
    }
}

/// One slot per index; each slot is written by exactly one worker.
///
/// The slots are a raw buffer, not an array property: `array.withUnsafeMutableBufferPointer`
/// is a mutating access to the array itself, so concurrent calls from the workers raced on
/// its header (ThreadSanitizer's "Swift access race", seen under `scripts/sanitize.sh thread`)
/// even though every worker wrote a different element. Reading in `values()` is ordered after
/// the writes by `concurrentPerform` returning.
private final class ResultSlots<T: Sendable>: @unchecked Sendable {
    private let base: UnsafeMutablePointer<Result<T, any Error>?>
    private let count: Int
    init(count: Int) {
        self.count = count
        base = .allocate(capacity: count)
        base.initialize(repeating: nil, count: count)
    }
    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }
    func set(_ i: Int, _ value: Result<T, any Error>) { base[i] = value }
    func values() throws -> [T] { try (0..<count).map { try base[$0]!.get() } }
}

/// A lock-protected counter handing out work indices.
final class AtomicCounter: @unchecked Sendable {
    private var value = 0
    private let lock = DispatchSemaphore(value: 1)
    func increment() -> Int {
        lock.wait()
        defer { lock.signal() }
        let v = value
        value += 1
        return v
    }
    /// Adds `n` and returns the new value.
    func add(_ n: Int) -> Int {
        lock.wait()
        defer { lock.signal() }
        value += n
        return value
    }
}

#if canImport(Glibc)
import Glibc
private func sysconfCores() -> Int { Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))) }
#else
import Darwin
private func sysconfCores() -> Int { Int(sysconf(_SC_NPROCESSORS_ONLN)) }
#endif
