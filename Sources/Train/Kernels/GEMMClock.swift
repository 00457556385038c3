#if canImport(Glibc)
import Glibc
#endif

/// Accumulates wall time spent in matrix products (for the benchmark's GEMM-share column).
public final class GEMMClock: @unchecked Sendable {
    public private(set) var nanoseconds: UInt64 = 0
    public init() {}
    public func reset() { nanoseconds = 0 }
    func add(_ ns: UInt64) { nanoseconds &+= ns }

    static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }
}
