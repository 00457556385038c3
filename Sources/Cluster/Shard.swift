/// Contiguous, deterministic shares of `0..<count` items: rank `r` of `ranks` gets
/// `[r·count/ranks, (r+1)·count/ranks)`. The shares cover every item once, in order, so
/// concatenating the ranks' results in rank order gives the single-process order.
public enum Shard {
    public static func range(count: Int, rank: Int, ranks: Int) -> Range<Int> {
        precondition(count >= 0 && ranks >= 1 && (0..<ranks).contains(rank), "no shard \(rank) of \(ranks) over \(count) items")
        return (count * rank / ranks)..<(count * (rank + 1) / ranks)
    }

    /// The items of whole blocks of `block` items (the last may be short) that rank `rank`
    /// takes: the blocks are shared out, never cut, so each rank sees exactly the blocks the
    /// single process sees (a batch's mean loss depends on which samples share it).
    public static func blocks(count: Int, block: Int, rank: Int, ranks: Int) -> Range<Int> {
        precondition(block >= 1, "block size must be positive, got \(block)")
        let blocks = range(count: (count + block - 1) / block, rank: rank, ranks: ranks)
        return min(count, blocks.lowerBound * block)..<min(count, blocks.upperBound * block)
    }
}
