import Cluster
import DataPrep

/// A collection's decoding shared by the ranks of an MPI job: every chunk the loader walks is
/// cut into contiguous shares (`Shard.range`), each rank decodes its own, and rank 0 (or, with
/// `everyRankKeeps`, every rank) gathers the others' pixels, digests and skip reasons into its
/// chunk, slot by slot. It then holds exactly the chunk one process decodes; a rank that keeps
/// nothing holds one chunk at a time.
struct ClusterDecodeSharing: DecodeSharing {
    let cluster: Cluster
    /// Every rank receives every share (evaluate: each rank needs its batches' samples); else
    /// only rank 0 (split: rank 0 alone plans, and writes the arrays the others read back).
    var everyRankKeeps = false

    var keepsSamples: Bool { everyRankKeeps || cluster.isRoot }

    /// The first phase of a job whose decoding this sharing divides (`split`, `merge-cifar`):
    /// rank 0 runs `root` (decode and plan), sharing its decoding; every other rank runs
    /// `share`, its part: the same decoding (and, for `merge-cifar` with PNGs, the same plan,
    /// to write its shares of the output from).
    ///
    /// A rank that fails while decoding stops every rank there (`decodeChunk` agrees each
    /// chunk), before anything is written. Every other error (a plan refused, a spill that
    /// cannot grow) is agreed in a last exchange, which every rank reaches with its own
    /// outcome: a rank that failed between two collectives meets the others' next one, which is
    /// an exchange of the same shape, so they all stop there, before anything is written (the
    /// write that follows, `DatasetOutput.write(_:across:…)`, agrees its own steps).
    ///
    /// - Returns: `root`'s value at rank 0; `share`'s on the other ranks.
    func run<T>(root: () throws -> T, share: () throws -> T?) throws -> T? {
        let outcome = Result { () throws -> T? in
            guard cluster.isRoot else { return try share() }
            return try root()
        }
        // Already agreed by every rank in a decoding exchange: no last exchange to meet.
        if case .failure(let failure as ClusterFailure) = outcome { throw failure }
        return try cluster.agree { try outcome.get() }
    }

    func agree<T>(_ setup: () throws -> T) throws -> T { try cluster.agree(setup) }

    func decodeChunk(count: Int, pixels: UnsafeMutableRawBufferPointer, sampleSize: Int,
                     digests: UnsafeMutableRawBufferPointer, digestSize: Int,
                     decode: (Range<Int>) throws -> [String?]) throws -> [String?] {
        let share = Shard.range(count: count, rank: cluster.rank, ranks: cluster.size)
        let digestSize = digests.isEmpty ? 0 : digestSize  // not hashing: no digest slots
        var mine: [String?] = []
        // Agreed per chunk: a rank that cannot read its photos (or fails strict decoding) stops
        // every rank here, before anything is written.
        let packed = try cluster.agree { () -> [UInt8] in
            try cluster.faultPoint()
            mine = try decode(share)
            guard !cluster.isRoot || everyRankKeeps else { return [] }  // rank 0's slots are already in place
            var packed = PackedBytes()
            packed.append(Array(pixels[(share.lowerBound * sampleSize)..<(share.upperBound * sampleSize)]))
            packed.append(Array(digests[(share.lowerBound * digestSize)..<(share.upperBound * digestSize)]))
            packed.append(mine.map { Int64($0.map { $0.utf8.count } ?? -1) })
            packed.append(Array(mine.compactMap { $0 }.joined().utf8))
            return packed.bytes
        }
        let gathered = everyRankKeeps ? try cluster.allGather(packed) : try cluster.gather(packed)
        guard let shares = gathered else { return [] }
        var reasons = [String?](repeating: nil, count: count)
        reasons.replaceSubrange(share, with: mine)
        for rank in 0..<cluster.size where rank != cluster.rank {
            let range = Shard.range(count: count, rank: rank, ranks: cluster.size)
            var reader = PackedBytes.Reader(shares[rank], from: rank)
            let slots = try reader.next(UInt8.self), slotDigests = try reader.next(UInt8.self)
            let lengths = try reader.next(Int64.self), text = try reader.next(UInt8.self)
            guard slots.count == range.count * sampleSize, slotDigests.count == range.count * digestSize, lengths.count == range.count,
                  lengths.reduce(0, { $0 + max(0, $1) }) == Int64(text.count) else {
                throw ClusterError.malformedMessage(rank: rank, reason: "\(slots.count) pixel bytes, \(slotDigests.count) digest bytes and \(lengths.count) reasons for \(range.count) photos of \(sampleSize) bytes")
            }
            slots.withUnsafeBytes {
                UnsafeMutableRawBufferPointer(rebasing: pixels[(range.lowerBound * sampleSize)..<(range.upperBound * sampleSize)]).copyMemory(from: $0)
            }
            slotDigests.withUnsafeBytes {
                UnsafeMutableRawBufferPointer(rebasing: digests[(range.lowerBound * digestSize)..<(range.upperBound * digestSize)]).copyMemory(from: $0)
            }
            var offset = 0
            for (k, length) in lengths.enumerated() where length >= 0 {
                reasons[range.lowerBound + k] = String(decoding: text[offset..<(offset + Int(length))], as: UTF8.self)
                offset += Int(length)
            }
        }
        return reasons
    }
}
