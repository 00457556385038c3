/// How one training step's per-block partial results reach every process that trains it.
///
/// A single process computes every block and exchanges nothing (`SingleProcess`). Under MPI
/// each rank computes a contiguous run of blocks and `allBlocks` returns every block's partials
/// in block order on every rank (the Workflows target implements it over `Cluster`), so every
/// rank folds the same values in the same order (see `SampleBlocks`).
///
/// Every process must make the same sequence of calls in a step, including a process that has
/// no block of a short last batch (it passes empty partials).
public protocol BlockExchange: AnyObject {
    /// The blocks of a step with `count` blocks that this process computes (contiguous).
    func localBlocks(count: Int) -> Range<Int>
    /// Every block's partials in block order, given this process's: `local` holds
    /// `localBlocks(count:).count * width` values, the result `count * width`.
    func allBlocks(_ local: [Float], width: Int, count: Int) throws -> [Float]
    /// The sum over every block of `width` partials, added in block order (`BlockFold`), into
    /// `out` on every process: what `allBlocks` then `BlockFold.fold` give (the default), which
    /// an exchange may compute with less traffic as long as each element is added in block order.
    func foldBlocks(_ local: [Float], width: Int, count: Int, into out: UnsafeMutablePointer<Float>) throws
    /// `allBlocks` for double-precision partials (loss sums).
    func allBlocks(_ local: [Double], width: Int, count: Int) throws -> [Double]
    /// Whether any process passed true (so an interrupt seen by one process stops all of them
    /// at the same step).
    func any(_ flag: Bool) throws -> Bool
    /// Processes sharing each step (1 for a single process).
    var processes: Int { get }
}

/// One process computing every block: nothing to exchange.
public final class SingleProcess: BlockExchange {
    public init() {}
    public func localBlocks(count: Int) -> Range<Int> { 0..<count }
    public func allBlocks(_ local: [Float], width: Int, count: Int) throws -> [Float] { local }
    public func allBlocks(_ local: [Double], width: Int, count: Int) throws -> [Double] { local }
    public func any(_ flag: Bool) throws -> Bool { flag }
    public var processes: Int { 1 }
}

extension BlockExchange {
    public func foldBlocks(_ local: [Float], width: Int, count: Int, into out: UnsafeMutablePointer<Float>) throws {
        let all = try allBlocks(local, width: width, count: count)
        all.withUnsafeBufferPointer { BlockFold.fold($0.baseAddress!, blocks: count, width: width, into: out) }
    }

    /// Whether no other process takes part (partials can be folded as they come). Not the same
    /// as holding every block of a step: a process that does must still join the exchange the
    /// others, idle in that step, are waiting in.
    var isAlone: Bool { processes == 1 }
}
