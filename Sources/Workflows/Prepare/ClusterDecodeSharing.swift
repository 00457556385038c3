import Cluster
import DataPrep

/// A collection's decoding shared by the ranks of an MPI job: every chunk the loader walks is
/// cut into contiguous shares (`Shard.range`), each rank decodes its own, and rank 0 gathers
/// the others' pixels, digests and skip reasons into its chunk, slot by slot. Rank 0 then
/// holds exactly the chunk one process decodes, and memory stays one chunk per rank.
struct ClusterDecodeSharing: DecodeSharing {
    let cluster: Cluster

    var keepsSamples: Bool { cluster.isRoot }

    func agree<T>(_ setup: () throws -> T) throws -> T { try cluster.agree(setup) }

    func decodeChunk(count: Int, pixels: UnsafeMutableRawBufferPointer, sampleSize: Int,
                     digests: UnsafeMutableRawBufferPointer, digestSize: Int,
                     decode: (Range<Int>) throws -> [String?]) throws -> [String?] {
        let share = Shard.range(count: count, rank: cluster.rank, ranks: cluster.size)
        var mine: [String?] = []
        // Agreed per chunk: a rank that cannot read its photos (or fails strict decoding) stops
        // every rank here, before anything is written.
        let packed = try cluster.agree { () -> [UInt8] in
            try cluster.faultPoint()
            mine = try decode(share)
            guard !cluster.isRoot else { return [] }  // rank 0's slots are already in place
            var packed = PackedBytes()
            packed.append(Array(pixels[(share.lowerBound * sampleSize)..<(share.upperBound * sampleSize)]))
            packed.append(Array(digests[(share.lowerBound * digestSize)..<(share.upperBound * digestSize)]))
            packed.append(mine.map { Int64($0.map { $0.utf8.count } ?? -1) })
            packed.append(Array(mine.compactMap { $0 }.joined().utf8))
            return packed.bytes
        }
        guard let shares = try cluster.gather(packed) else { return [] }
        var reasons = [String?](repeating: nil, count: count)
        reasons.replaceSubrange(share, with: mine)
        for rank in 1..<cluster.size {
            let range = Shard.range(count: count, rank: rank, ranks: cluster.size)
            var reader = PackedBytes.Reader(shares[rank], from: rank)
            let slots = try reader.next(UInt8.self), slotDigests = try reader.next(UInt8.self)
            let lengths = try reader.next(Int64.self), text = try reader.next(UInt8.self)
            guard slots.count == range.count * sampleSize, slotDigests.count == range.count * digestSize, lengths.count == range.count,
                  lengths.reduce(0, { $0 + max(0, $1) }) == Int64(text.count) else {
                throw ClusterError.malformedMessage(rank: rank, reason: "\(slots.count) pixel bytes, \(slotDigests.count) digest bytes and \(lengths.count) reasons for \(range.count) photos of \(sampleSize) bytes")
            }
            slots.withUnsafeBytes { pixels.baseAddress!.advanced(by: range.lowerBound * sampleSize).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
            slotDigests.withUnsafeBytes {
                guard $0.count > 0 else { return }
                digests.baseAddress!.advanced(by: range.lowerBound * digestSize).copyMemory(from: $0.baseAddress!, byteCount: $0.count)
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
