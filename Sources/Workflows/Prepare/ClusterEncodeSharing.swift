import Cluster
import DataPrep

/// A writer's PNG encoding shared by the ranks of an MPI job: every chunk the writer encodes is
/// cut into contiguous shares (`Shard.range`), each rank encodes its own, and rank 0, the
/// writer, gathers the others' PNGs into its chunk in sample order. Rank 0 then writes exactly
/// the bytes one process encodes; the other ranks hold one chunk of their own PNGs at a time.
struct ClusterEncodeSharing: EncodeSharing {
    let cluster: Cluster

    func encodeChunk(count: Int, encode: (Range<Int>) throws -> [[UInt8]]) throws -> [[UInt8]] {
        let share = Shard.range(count: count, rank: cluster.rank, ranks: cluster.size)
        var mine: [[UInt8]] = []
        // Agreed per chunk: a rank that fails to encode stops every rank here, before rank 0 commits.
        let packed = try cluster.agree { () -> [UInt8] in
            try cluster.faultPoint()
            mine = try encode(share)
            guard !cluster.isRoot else { return [] }  // rank 0's own PNGs stay here
            var packed = PackedBytes()
            packed.append(mine.map { Int64($0.count) })
            var bytes: [UInt8] = []
            bytes.reserveCapacity(mine.reduce(0) { $0 + $1.count })
            for png in mine { bytes.append(contentsOf: png) }  // a copy per PNG (`joined()` walks byte by byte)
            packed.append(bytes)
            return packed.bytes
        }
        guard let shares = try cluster.gather(packed) else { return [] }
        var all: [[UInt8]] = []
        all.reserveCapacity(count)
        for rank in 0..<cluster.size {
            guard rank != cluster.rank else { all += mine; continue }
            let range = Shard.range(count: count, rank: rank, ranks: cluster.size)
            var reader = PackedBytes.Reader(shares[rank], from: rank)
            let lengths = try reader.next(Int64.self), bytes = try reader.next(UInt8.self)
            guard lengths.count == range.count, lengths.allSatisfy({ $0 >= 0 }), lengths.reduce(0, +) == Int64(bytes.count) else {
                throw ClusterError.malformedMessage(rank: rank, reason: "\(lengths.count) encoded samples of \(bytes.count) bytes in all for \(range.count) samples")
            }
            var offset = 0
            for length in lengths {
                all.append(Array(bytes[offset..<(offset + Int(length))]))
                offset += Int(length)
            }
        }
        return all
    }
}
