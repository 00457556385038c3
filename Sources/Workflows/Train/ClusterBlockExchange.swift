import Cluster
import Train

/// Every training step's blocks shared by the ranks of an MPI job: rank r computes its
/// contiguous share of the blocks (`SampleBlocks.share`), and the per-block partials (batch-norm
/// sums, parameter gradients, loss sums) go to every rank with one allgather, in rank order,
/// which is block order. Only partials cross the network, never samples or weights.
///
/// Each step also passes a fault point (the test hook `DATAPREP_TEST_FAULT=RANK:kill@STEP`).
final class ClusterBlockExchange: BlockExchange {
    let cluster: Cluster
    /// Bytes this rank sent and received through `allBlocks`, and the steps it took part in.
    private(set) var sentBytes = 0
    private(set) var receivedBytes = 0
    private(set) var steps = 0

    init(cluster: Cluster) { self.cluster = cluster }

    var processes: Int { cluster.size }

    func localBlocks(count: Int) -> Range<Int> { SampleBlocks.share(count: count, process: cluster.rank, of: cluster.size) }

    func allBlocks(_ local: [Float], width: Int, count: Int) throws -> [Float] { try gather(local, count: count * width) }

    func allBlocks(_ local: [Double], width: Int, count: Int) throws -> [Double] { try gather(local, count: count * width) }

    /// Below this many values per block the partials are simply gathered (batch-norm sums):
    /// one collective, and the bytes do not matter.
    static let slicingThreshold = 4096

    /// The gradients' fold with the traffic of a ring allreduce rather than an allgather of every
    /// block: the `width` values are cut into one contiguous slice per rank; each rank receives
    /// every block's values of its own slice (alltoall), adds them in block order, and the summed
    /// slices are gathered by every rank. Each value is still added block by block in block
    /// order, so the bits are those of one process; a rank receives (its blocks + 1) x width
    /// values per step whatever the number of ranks, instead of (all blocks - its own) x width.
    func foldBlocks(_ local: [Float], width: Int, count: Int, into out: UnsafeMutablePointer<Float>) throws {
        let ranks = cluster.size
        guard width >= Self.slicingThreshold, ranks > 1 else {
            let all = try allBlocks(local, width: width, count: count)
            return all.withUnsafeBufferPointer { BlockFold.fold($0.baseAddress!, blocks: count, width: width, into: out) }
        }
        let slices = (0..<ranks).map { SampleBlocks.share(count: width, process: $0, of: ranks) }
        let blocksOf = (0..<ranks).map { SampleBlocks.share(count: count, process: $0, of: ranks).count }
        let mine = slices[cluster.rank], localCount = localBlocks(count: count).count
        let parts: [[UInt8]] = slices.map { slice in
            var bytes = [UInt8]()
            bytes.reserveCapacity(localCount * slice.count * 4)
            local.withUnsafeBytes { raw in
                for j in 0..<localCount {
                    bytes.append(contentsOf: raw[(j * width + slice.lowerBound) * 4..<(j * width + slice.upperBound) * 4])
                }
            }
            return bytes
        }
        let received = try cluster.allToAll(parts, receiveCounts: blocksOf.map { $0 * mine.count * 4 })
        // Rank order is block order: every block's values of this rank's slice, block-major.
        var columns = [Float](repeating: 0, count: count * mine.count)
        columns.withUnsafeMutableBytes { target in
            var at = 0
            for part in received where !part.isEmpty {
                part.withUnsafeBytes { target.baseAddress!.advanced(by: at).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
                at += part.count
            }
        }
        var sum = [Float](repeating: 0, count: mine.count)
        columns.withUnsafeBufferPointer { c in
            sum.withUnsafeMutableBufferPointer { BlockFold.fold(c.baseAddress!, blocks: count, width: mine.count, into: $0.baseAddress!) }
        }
        let gathered = try cluster.allGather(sum.withUnsafeBytes { Array($0) }, counts: slices.map { $0.count * 4 })
        var at = 0
        for part in gathered where !part.isEmpty {
            part.withUnsafeBytes { UnsafeMutableRawPointer(out + at).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
            at += part.count / 4
        }
        sentBytes += parts.reduce(0) { $0 + $1.count } - parts[cluster.rank].count + sum.count * 4 * (ranks - 1)
        receivedBytes += received.reduce(0) { $0 + $1.count } - received[cluster.rank].count
            + gathered.reduce(0) { $0 + $1.count } - gathered[cluster.rank].count
    }

    func any(_ flag: Bool) throws -> Bool {
        steps += 1
        try cluster.faultPoint()
        return try cluster.allGather([flag ? 1 : 0]).contains { $0.first == 1 }
    }

    private func gather<T: BitwiseCopyable>(_ values: [T], count: Int) throws -> [T] {
        let parts = try cluster.allGather(values.withUnsafeBytes { Array($0) })
        var all: [T] = []
        all.reserveCapacity(count)
        for (rank, part) in parts.enumerated() {
            guard part.count % MemoryLayout<T>.stride == 0 else {
                throw ClusterError.malformedMessage(rank: rank, reason: "\(part.count) bytes of block partials (not whole values)")
            }
            part.withUnsafeBytes { all.append(contentsOf: $0.bindMemory(to: T.self)) }
        }
        guard all.count == count else {
            throw ClusterError.malformedMessage(rank: cluster.rank, reason: "\(all.count) block partials gathered, \(count) expected")
        }
        sentBytes += values.count * MemoryLayout<T>.stride
        receivedBytes += (all.count - values.count) * MemoryLayout<T>.stride
        return all
    }
}
