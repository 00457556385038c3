/// Finds samples whose decoded pixels are identical (the Kaggle dogs-vs-cats set has some):
/// a duplicate in two splits is leakage, the users' most common silent error.
///
/// Each sample gets a 64-bit hash of its pixels (8 bytes per step, multiply–xorshift mixing,
/// computed in parallel); equal hashes are then confirmed byte for byte, so a hash collision
/// can never merge two different images.
public struct DuplicateGroups: Equatable, Sendable {
    /// Groups of ≥ 2 source indices with identical pixels, each ascending, ordered by first index.
    public var groups: [[Int]]

    public init(groups: [[Int]]) { self.groups = groups }

    /// Every index except the first of its group: what `--dedupe` leaves out.
    public var redundant: Set<Int> { Set(groups.flatMap { $0.dropFirst() }) }

    /// Groups whose members carry different labels (the same picture filed under two classes).
    public func conflicting(labels: [Int32]) -> [[Int]] {
        groups.filter { group in Set(group.map { labels[$0] }).count > 1 }
    }

    /// Groups with members in more than one split of `plan`.
    public func crossing(_ plan: SplitPlan) -> [[Int]] {
        // 4 bytes per source index, not a dictionary entry (~40 bytes) per planned sample.
        let size = groups.reduce(0) { max($0, ($1.last ?? -1) + 1) }
        var splitOf = [Int32](repeating: -1, count: size)
        for (s, members) in plan.splits.enumerated() { for i in members where i < size { splitOf[i] = Int32(s) } }
        return groups.filter { group in Set(group.map { splitOf[$0] }.filter { $0 >= 0 }).count > 1 }
    }

    public static func find(in dataset: ImageDataset, threads: Int = Parallel.defaultThreads) throws -> DuplicateGroups {
        find(digests: try digests(of: dataset, threads: threads), in: dataset)
    }

    /// The 64-bit pixel digest of each sample (`hash`), in parallel: 8 bytes per sample are
    /// all that duplicate detection keeps in memory.
    public static func digests(of dataset: ImageDataset, threads: Int = Parallel.defaultThreads) throws -> [UInt64] {
        let size = dataset.sampleSize
        return try dataset.storage.withUnsafeBufferPointer { pixels in
            let shared = SendableReadBuffer(pixels)
            return try Parallel.map(count: dataset.count, threads: threads) { i in
                hash(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(shared.buffer)[(i * size)..<((i + 1) * size)]))
            }
        }
    }

    /// Groups from per-sample `digests` (`digests(of:)`): samples with equal digests are then
    /// compared byte for byte in `dataset`'s storage (in place: a mapped spill file is read
    /// through the page cache, only for the few candidates), so a collision never merges two
    /// different images.
    public static func find(digests: [UInt64], in dataset: ImageDataset) -> DuplicateGroups {
        precondition(digests.count == dataset.count, "\(digests.count) digests for \(dataset.count) samples")
        let size = dataset.sampleSize
        // Sorted by digest (then index), samples with equal digests are neighbours: 8 bytes per
        // sample instead of a dictionary of arrays (~100 bytes per sample).
        let order = digests.indices.sorted { digests[$0] != digests[$1] ? digests[$0] < digests[$1] : $0 < $1 }
        var groups: [[Int]] = []
        dataset.storage.withUnsafeBufferPointer { pixels in
            var runStart = 0
            while runStart < order.count {
                var runEnd = runStart + 1
                while runEnd < order.count && digests[order[runEnd]] == digests[order[runStart]] { runEnd += 1 }
                let run = order[runStart..<runEnd]
                runStart = runEnd
                guard run.count > 1 else { continue }
                // Split the candidates (ascending) into classes of byte-identical images.
                var remaining = Array(run)
                while let first = remaining.first {
                    let a = UnsafeBufferPointer(rebasing: pixels[(first * size)..<((first + 1) * size)])
                    var same = [first], rest: [Int] = []
                    for other in remaining.dropFirst() {
                        let b = UnsafeBufferPointer(rebasing: pixels[(other * size)..<((other + 1) * size)])
                        if memcmp(a.baseAddress!, b.baseAddress!, size) == 0 { same.append(other) } else { rest.append(other) }
                    }
                    if same.count > 1 { groups.append(same) }
                    remaining = rest
                }
            }
        }
        groups.sort { $0[0] < $1[0] }
        return DuplicateGroups(groups: groups)
    }

    /// A fast, seedless 64-bit hash of bytes (not cryptographic; collisions are re-checked).
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        var i = 0
        let n = bytes.count
        while i &+ 8 <= n {
            let word = bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            h = (h ^ SplitMix64.mix(word)) &* 0xBF58_476D_1CE4_E5B9
            i &+= 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < n { tail |= UInt64(bytes[i]) << shift; shift &+= 8; i &+= 1 }
        return SplitMix64.mix(h ^ tail)
    }
}

/// A read-only buffer shared by worker threads.
struct SendableReadBuffer<T>: @unchecked Sendable {
    let buffer: UnsafeBufferPointer<T>
    init(_ buffer: UnsafeBufferPointer<T>) { self.buffer = buffer }
}

#if canImport(Glibc)
import Glibc
#endif
