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
