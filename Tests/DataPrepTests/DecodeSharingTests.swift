import Foundation
import Synchronization
import Testing
import TestSupport
@testable import DataPrep

/// `DecodeSharing` from the loader's side, in one process: shares decoded out of order, in
/// several steps, land in their slots, so the collected load equals the plain one whatever the
/// chunking; a process that keeps nothing walks the same chunks. (The MPI sharing itself runs
/// under mpirun in CLITests' DistributedCommandTests.)
struct DecodeSharingTests {
    /// Decodes each chunk in `parts` contiguous shares, last share first, as other ranks would
    /// in parallel, and records the chunk sizes it was asked for.
    final class ScrambledSharing: DecodeSharing, Sendable {
        let parts: Int
        let keepsSamples: Bool
        let chunks = Mutex<[Int]>([])
        let setups = Mutex(0)
        init(parts: Int, keepsSamples: Bool = true) { self.parts = parts; self.keepsSamples = keepsSamples }

        func agree<T>(_ setup: () throws -> T) throws -> T {
            setups.withLock { $0 += 1 }
            return try setup()
        }

        func decodeChunk(count: Int, pixels: UnsafeMutableRawBufferPointer, sampleSize: Int, digests: UnsafeMutableRawBufferPointer,
                         digestSize: Int, decode: (Range<Int>) throws -> [String?]) throws -> [String?] {
            chunks.withLock { $0.append(count) }
            var reasons = [String?](repeating: "never decoded", count: count)
            for part in (0..<parts).reversed() {
                let range = (count * part / parts)..<(count * (part + 1) / parts)
                reasons.replaceSubrange(range, with: try decode(range))
            }
            return reasons
        }
    }

    func load(_ path: String, chunkBytes: Int, spill: String?, sharing: (any DecodeSharing)?) throws -> LoadedDataset {
        var options = LoadedDataset.Options(size: (8, 6), threads: 2, hashSources: true)
        options.chunkBytes = chunkBytes
        options.spillDirectory = spill
        options.decodeSharing = sharing
        return try LoadedDataset.load(path: path, options: options)
    }

    @Test(arguments: ["kaggle", "splits", "by-class.zip"])
    func sharedLoadEqualsThePlainOne(collection: String) throws {
        let folder = try ScratchFolder.make("decode-sharing")
        defer { ScratchFolder.remove(folder) }
        let path = TestPaths.fixture("collections/" + collection)
        // 8x6 RGB = 144 bytes: chunks of 1, 2 and 3 photos, and one chunk for everything.
        for chunkBytes in [144, 288, 432, 1 << 20] {
            for spill in [nil, folder] {
                let plain = try load(path, chunkBytes: chunkBytes, spill: spill, sharing: nil)
                let sharing = ScrambledSharing(parts: 3)
                let shared = try load(path, chunkBytes: chunkBytes, spill: spill, sharing: sharing)
                #expect(shared.splits == plain.splits, "\(collection), chunks of \(chunkBytes) bytes")
                #expect(shared.skipped == plain.skipped && shared.origins == plain.origins && shared.sourceHashes == plain.sourceHashes)
                let listed = try #require(try DatasetSource.open(path) as? ImageCollection).count
                #expect(sharing.chunks.withLock { $0.reduce(0, +) } == listed, "every listed photo is decoded once")

                let worker = ScrambledSharing(parts: 2, keepsSamples: false)
                let nothing = try load(path, chunkBytes: chunkBytes, spill: nil, sharing: worker)
                #expect(nothing.splits.splits.isEmpty && nothing.origins.isEmpty && nothing.skipped.isEmpty)
                #expect(worker.chunks.withLock { $0 } == sharing.chunks.withLock { $0 }, "a worker walks rank 0's chunks")
                #expect(sharing.setups.withLock { $0 } == 1 && worker.setups.withLock { $0 } == 1)
            }
        }
    }
}

/// The same sharing over an array source's digests (`merge-cifar`'s cost): no pixels travel,
/// only each share's SHA-256s, which land in their slots.
extension DecodeSharingTests {
    @Test func sharedHashingEqualsThePlainOne() throws {
        let data = try LoadedDataset.load(path: TestPaths.fixture("cifar/cifar-10-binary.tar.gz")).splits.splits[0].data
        let plain = try data.sampleHashes(threads: 2)
        #expect(plain.count == 15)
        // 3072-byte samples: chunks of 1, 2 and 4 records, and one chunk for all 15.
        for records in [1, 2, 4, 15] {
            let sharing = ScrambledSharing(parts: 3)
            #expect(try data.sampleHashes(threads: 2, sharing: sharing, chunkBytes: records * 3072) == plain, "chunks of \(records)")
            #expect(sharing.chunks.withLock { $0 } == Array(repeating: records, count: 15 / records) + (15 % records == 0 ? [] : [15 % records]))
        }
    }

    /// A merge whose hashing is shared writes the plain merge's splits, manifest and summary; a
    /// process that keeps nothing reads and checks both inputs once and walks the same chunks.
    @Test func sharedMergeEqualsThePlainOne() throws {
        var merge = try CIFARMerge(cifar10: TestPaths.fixture("cifar/cifar-10-binary.tar.gz"), cifar100: TestPaths.fixture("cifar/cifar-100-binary"),
                                   superclass: "13", seed: 3, threads: 2)
        let plain = try merge.prepare()
        let sharing = ScrambledSharing(parts: 3)
        merge.decodeSharing = sharing
        let shared = try merge.prepare()
        #expect(shared.prepared.splits.map(\.name) == plain.prepared.splits.map(\.name))
        #expect(shared.prepared.splits.map(\.data) == plain.prepared.splits.map(\.data))
        #expect(shared.prepared.manifest == plain.prepared.manifest)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        #expect(try encoder.encode(shared.report) == encoder.encode(plain.report))
        // CIFAR-10 train 15 and test 10 records, CIFAR-100 train and test: one chunk each.
        let chunks = sharing.chunks.withLock { $0 }
        #expect(chunks.count == 4 && chunks.prefix(2) == [15, 10], "\(chunks)")
        #expect(sharing.setups.withLock { $0 } == 1)

        let worker = ScrambledSharing(parts: 2, keepsSamples: false)
        merge.decodeSharing = worker
        try merge.hashShares()
        #expect(worker.chunks.withLock { $0 } == chunks && worker.setups.withLock { $0 } == 1)
    }
}
