/// The fixed cut of one training step's batch into blocks of whole samples: the unit of
/// data-parallel work and of every sum taken over samples.
///
/// Why: float addition is not associative, so a gradient summed over 128 samples in one pass
/// differs in its last bits from the same gradient summed as two halves on two processes and
/// then added. Training therefore never sums across a block boundary inside a kernel: each
/// block's parameter gradients (and a batch-norm layer's per-channel sums) come from that block
/// alone, and the block partials are added in block order. One process computes every block;
/// N processes (`mpirun -np N`) compute contiguous runs of blocks and exchange the partials;
/// both add the same partials in the same order, so the weights after every step are the same
/// bits for any number of processes — and for any thread count, since a block's own work is
/// already cut by shape, never by threads.
///
/// The block size is part of a run's numbers (saved in its `TrainingConfig`), like the batch
/// size: changing it changes the last bits of every step, never the mathematics.
public struct SampleBlocks: Equatable, Sendable {
    /// Samples per block unless a run asks otherwise. Smaller blocks let more processes (and a
    /// process's threads, `ReplicaTeam`) share a step but make more, smaller kernel calls. On
    /// the Zen 4 of the README's tables (fashion-alexnet, batch 128) a step at 1 thread ran at
    /// 1,840 samples/s as one block and 1,625 in blocks of 64; at 2 threads, with each thread
    /// taking a block of 64, 3,820-3,950 (3,280-3,740 as one block split inside each layer).
    /// 64 lets two processes or threads share a 128-sample batch; `--block-size` picks another
    /// trade-off (the same on one machine and on N ranks).
    public static let standardSize = 64

    /// Samples in the step (the last batch of an epoch may be short).
    public let batch: Int
    /// Samples per block (the last block may be short).
    public let size: Int

    public init(batch: Int, size: Int) {
        precondition(batch >= 1 && size >= 1, "a step needs samples and a positive block size, got \(batch) and \(size)")
        self.batch = batch
        self.size = size
    }

    /// Blocks in the step.
    public var count: Int { (batch + size - 1) / size }

    /// The samples of block `block` (indices into the step's batch).
    public func samples(_ block: Int) -> Range<Int> {
        precondition(block >= 0 && block < count, "block \(block) outside 0..<\(count)")
        return block * size..<min(batch, (block + 1) * size)
    }

    /// The contiguous run of `count` blocks that process `process` of `processes` computes: the
    /// first `count % processes` processes take one block more (some take none when there are
    /// fewer blocks than processes).
    public static func share(count: Int, process: Int, of processes: Int) -> Range<Int> {
        precondition(process >= 0 && process < processes, "process \(process) outside 0..<\(processes)")
        return Workers.range(process, of: processes, count: count)
    }

    /// The samples of a contiguous run of blocks (empty for an empty run).
    public func samples(_ blocks: Range<Int>) -> Range<Int> {
        guard !blocks.isEmpty else { return 0..<0 }
        return samples(blocks.lowerBound).lowerBound..<samples(blocks.upperBound - 1).upperBound
    }
}
