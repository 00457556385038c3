import Foundation
import Testing
import TestSupport
@testable import DataPrep

/// `split` of a collection with `SplitJob.spillDirectory`: decoded and gathered through spill
/// files in chunks, with the same result as the in-memory path and bounded anonymous memory.
@Suite(.serialized) struct SplitStreamingTests {
    /// A class-per-folder collection of `count` distinct 8x8 PNGs (two classes, every tenth
    /// photo of class `b` a copy of the one before it, so duplicate detection has work).
    static func makeCollection(in folder: String, count: Int) throws {
        for name in ["a", "b"] { try FileIO.makeDirectories(joinPath(folder, name)) }
        for i in 0..<count {
            let seed = i % 10 == 9 ? i - 1 : i
            let pixels = (0..<(8 * 8 * 3)).map { UInt8(truncatingIfNeeded: seed &* 131 &+ $0 &* (seed % 7 + 1)) }
            let png = try PNG.encode(Image(width: 8, height: 8, channels: 3, pixels: pixels))
            try FileIO.writeAtomically(png, to: joinPath(joinPath(folder, i % 2 == 0 ? "a" : "b"), "p\(i).png"), syncDirectory: false)
        }
    }

    static func job(_ source: String, spill: String?) -> SplitJob {
        var job = SplitJob(source: source, spec: try! SplitSpec(sizes: .ratios([0.7, 0.2, 0.1])), seed: 21,
                           load: .init(size: (width: 64, height: 64), threads: 3), normalize: .standard)
        job.load.chunkBytes = 256 << 10  // 21 samples per chunk: the source spans ~140 chunks
        job.spillDirectory = spill
        return job
    }

    /// 3000 photos resized to 64x64x3 are 36.9 MB of pixels, 144x the 256 KiB chunk: the
    /// spilled result equals the in-memory one sample for sample, manifest and statistics
    /// included, and no spill file is left in the folder. (The memory bound itself is measured on
    /// a child process, `CLITests/SplitMemoryCommandTests`: `/proc/self` here would count every
    /// suite running in parallel.)
    @Test func streamingASourceLargerThanTheChunkEqualsTheInMemorySplit() throws {
        let folder = try ScratchFolder.make("split-stream")
        defer { ScratchFolder.remove(folder) }
        let source = joinPath(folder, "photos"), spill = joinPath(folder, "spill"), out = joinPath(folder, "out")
        try Self.makeCollection(in: source, count: 3000)
        try FileIO.makeDirectories(spill); try FileIO.makeDirectories(out)

        let streamed = try Self.job(source, spill: spill).prepare()
        try DatasetWriter(threads: 3).write(streamed.prepared, into: out)
        #expect(streamed.prepared.splits.allSatisfy { $0.data.storage.isMapped })
        #expect(try FileIO.listDirectory(spill).isEmpty, "spill files are unlinked")

        let inMemory = try Self.job(source, spill: nil).prepare()
        #expect(inMemory.prepared.splits.map(\.name) == streamed.prepared.splits.map(\.name))
        for (a, b) in zip(inMemory.prepared.splits, streamed.prepared.splits) { #expect(a.data == b.data) }
        #expect(inMemory.prepared.manifest == streamed.prepared.manifest)
        #expect(inMemory.prepared.normalization == streamed.prepared.normalization)
        #expect(inMemory.report.duplicateGroups == streamed.report.duplicateGroups && streamed.report.duplicateGroups > 0)
    }

    /// Pooling a split output's `train` and `test` (two mapped `x.npy` files, not end to end)
    /// and dropping classes with `--map` used to copy the pixels into memory; with a spill
    /// folder both go through spill files: the same samples and manifest as in memory, mapped,
    /// and nothing left in the folder.
    @Test func poolingSeparateFilesAndDroppingClassesSpillTheSameSamples() throws {
        let folder = try ScratchFolder.make("split-pool-spill")
        defer { ScratchFolder.remove(folder) }
        let first = joinPath(folder, "first"), spill = joinPath(folder, "spill")
        try FileIO.makeDirectories(first); try FileIO.makeDirectories(spill)
        let source = SplitJob(source: TestPaths.fixture("idx/mnist"), spec: try SplitSpec(sizes: .ratios([0.5, 0.5])), seed: 2)
        try DatasetWriter(threads: 2).write(try source.prepare().prepared, into: first)

        func job(spill: String?) throws -> SplitJob.Result {
            var job = SplitJob(source: first, spec: try SplitSpec(sizes: .ratios([0.6, 0.4])), seed: 8, fromSplits: ["train", "test"],
                               classMap: try ClassMap(parsing: "8,9=-;*=digit"))
            job.allowSingleClass = true
            job.load.chunkBytes = 1000
            job.spillDirectory = spill
            return try job.prepare()
        }
        let streamed = try job(spill: spill), inMemory = try job(spill: nil)
        #expect(streamed.prepared.splits.allSatisfy { $0.data.storage.isMapped })
        for (a, b) in zip(inMemory.prepared.splits, streamed.prepared.splits) { #expect(a.data == b.data) }
        #expect(inMemory.prepared.manifest == streamed.prepared.manifest)
        #expect(streamed.prepared.splits.reduce(0) { $0 + $1.data.count } == 24, "30 MNIST fixture samples less the 6 eights and nines")
        #expect(try FileIO.listDirectory(spill).isEmpty, "spill files are unlinked")
    }

    /// A spill folder on a disk too small for the decoded pixels is refused before anything is
    /// decoded, with the numbers.
    @Test func aSpillFolderWithoutRoomIsRefusedUpFront() throws {
        guard let free = SpillFile.freeSpace(in: NSTemporaryDirectory()) else {
            print("skipped: statvfs cannot read the temp folder's free space"); return
        }
        let folder = try ScratchFolder.make("split-disk")
        defer { ScratchFolder.remove(folder) }
        let source = joinPath(folder, "photos")
        try Self.makeCollection(in: source, count: 4)
        // Square side whose 4 RGB samples × 2 spilled copies exceed the free space.
        let side = Int((Double(free) / 24).squareRoot()) + 64
        var job = Self.job(source, spill: folder)
        job.load.size = (width: side, height: side)
        do {
            _ = try job.prepare()
            Issue.record("expected insufficientDisk")
        } catch let DataPrepError.insufficientDisk(path, needed, available, _) {
            #expect(path == folder && needed == 4 * side * side * 3 * 2 && needed > available)
        }
    }
}
