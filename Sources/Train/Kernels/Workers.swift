import Dispatch

/// Runs independent pieces of one layer's work on up to `threads` threads.
///
/// Determinism rule of the engine: how work is *cut* (`parts`) depends only on tensor shapes,
/// never on `threads`; threads only decide who runs which piece. Every piece writes its own
/// output range (or its own partial sum, added afterwards in piece order), so results are
/// bit-identical for 1 or N threads.
public struct Workers: Sendable {
    public let threads: Int
    /// When set, ParallelGEMM adds its wall time here.
    public let clock: GEMMClock?
    /// The instruction-set level the pieces' own loops run at (no effect on results).
    public let isa: KernelISA

    public init(threads: Int, clock: GEMMClock? = nil, isa: KernelISA = .host) {
        precondition(threads >= 1, "Workers need at least one thread, got \(threads)")
        self.threads = threads
        self.clock = clock
        self.isa = isa
    }

    /// Calls `body(part)` for every part in `0..<parts`; part `p` goes to thread `p % threads`.
    /// - Complexity: one dispatch per call (a few microseconds), none when `threads == 1`.
    @inline(__always)
    public func run(_ parts: Int, _ body: (Int) -> Void) {
        let lanes = min(threads, parts)
        if lanes <= 1 {
            for p in 0..<parts { body(p) }
            return
        }
        withoutActuallyEscaping(body) { escapable in
            nonisolated(unsafe) let work = escapable
            DispatchQueue.concurrentPerform(iterations: lanes) { lane in
                var p = lane
                while p < parts { work(p); p += lanes }
            }
        }
    }

    /// The half-open range of piece `part` when `count` items are cut into `parts` pieces.
    @inline(__always)
    public static func range(_ part: Int, of parts: Int, count: Int) -> Range<Int> {
        let base = count / parts, extra = count % parts
        let start = part &* base &+ min(part, extra)
        return start..<(start &+ base &+ (part < extra ? 1 : 0))
    }

    /// Pieces for a loop over `count` items of `costPerItem` floats each: enough to keep two to
    /// four cores busy, never pieces so small that dispatch dominates (≥ 16k floats each).
    /// Depends on the shape only.
    @inline(__always)
    public static func parts(count: Int, costPerItem: Int, maxParts: Int = 8) -> Int {
        let total = max(1, count &* max(1, costPerItem))
        return max(1, min(maxParts, count, total / 16_384))
    }
}
