/// One process's part of a `DatasetWriter` output written by several at once (the ranks of an
/// MPI job, over a shared filesystem), or `.whole` for a single process.
///
/// Parts are deterministic and contiguous: part `index` of `count` takes items
/// `[index·n/count, (index+1)·n/count)` (the rule of the `Cluster` target's `Shard`, which this
/// library does not depend on), so the parts cover every item once, in order, and the written
/// bytes do not depend on `count`.
public struct WriteShare: Sendable, Equatable {
    public let index: Int
    public let count: Int

    /// Everything, by one process.
    public static let whole = WriteShare(index: 0, of: 1)

    public init(index: Int, of count: Int) {
        precondition(count >= 1 && (0..<count).contains(index), "no write share \(index) of \(count)")
        self.index = index
        self.count = count
    }

    /// This part's items of `0..<items`.
    public func range(of items: Int) -> Range<Int> {
        (items * index / count)..<(items * (index + 1) / count)
    }

    /// This part's items when whole blocks of `block` items (the last may be short) are shared
    /// out, never cut: WebDataset shards, each written by one process.
    func blocks(of items: Int, block: Int) -> Range<Int> {
        let blocks = range(of: (items + block - 1) / block)
        return min(items, blocks.lowerBound * block)..<min(items, blocks.upperBound * block)
    }
}
