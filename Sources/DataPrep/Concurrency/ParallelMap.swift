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
private final class ResultSlots<T: Sendable>: @unchecked Sendable {
    private var storage: [Result<T, any Error>?]
    init(count: Int) { storage = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ value: Result<T, any Error>) {
        storage.withUnsafeMutableBufferPointer { $0[i] = value }
    }
    func values() throws -> [T] { try storage.map { try $0!.get() } }
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
}

#if canImport(Glibc)
import Glibc
private func sysconfCores() -> Int { Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))) }
#else
import Darwin
private func sysconfCores() -> Int { Int(sysconf(_SC_NPROCESSORS_ONLN)) }
#endif
