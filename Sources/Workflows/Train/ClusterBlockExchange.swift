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
