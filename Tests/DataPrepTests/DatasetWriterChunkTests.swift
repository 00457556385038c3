import Foundation
import Testing
import TestSupport
@testable import DataPrep

/// The streamed exports (float32, CIFAR, PNG, WebDataset) are made a chunk of samples at a
/// time: whatever the chunk size (1, sizes that do not divide the split, larger than it),
/// every file equals the one-shot encoding, and progress counts the same samples.
@Suite struct DatasetWriterChunkTests {
    static let classNames = ["a", "b/c", ".d"]

    /// train 11 samples, val 5, test 0; 5x4 RGB with bytes from an LCG (so PNGs really
    /// compress), labels cycling through three classes (two of whose names need escaping).
    static let prepared: PreparedDataset = {
        var state: UInt32 = 12345
        func split(_ count: Int, firstLabel: Int) -> ImageDataset {
            let pixels = (0..<(count * 60)).map { _ -> UInt8 in
                state = state &* 1_103_515_245 &+ 12345
                return UInt8(truncatingIfNeeded: state >> 16)
            }
            return ImageDataset(height: 5, width: 4, channels: 3, pixels: pixels,
                                labels: (0..<count).map { Int32(($0 + firstLabel) % 3) }, classNames: classNames)
        }
        return PreparedDataset(splits: [("train", split(11, firstLabel: 0)), ("val", split(5, firstLabel: 1)), ("test", split(0, firstLabel: 0))],
                               classNames: classNames, normalization: .standard(mean: [0.5, 0.4, 0.6], std: [0.3, 0.2, 0.25]),
                               manifest: [], seed: 3, command: "test", source: "test")
    }()

    static let streamed: Set<ExportFormat> = [.npyFloat32, .cifar, .png, .wds]

    /// Writes `prepared` with every streamed format; returns the folder's digests.
    static func digests(chunk: Int?, shardSize: Int) throws -> [String: String] {
        let folder = try ScratchFolder.make("writer-chunks")
        defer { ScratchFolder.remove(folder) }
        try DatasetWriter(formats: streamed, shardSize: shardSize, threads: 2, chunkSamples: chunk).write(prepared, into: folder)
        return try ScratchFolder.digests(folder)
    }

    @Test(arguments: [3, 4, 1000])
    func everyChunkSizeWritesTheOneShotBytes(shardSize: Int) throws {
        // nil: one chunk of 32 MiB / 60 bytes, more than any split here.
        let oneShot = try Self.digests(chunk: nil, shardSize: shardSize)
        #expect(oneShot.count == 4 + 6 + 6 + 4 + 16 + (11 + shardSize - 1) / shardSize + (5 + shardSize - 1) / shardSize + 1)
        for chunk in [1, 2, 3, 4, 7, 11, 12, 64] {
            #expect(try Self.digests(chunk: chunk, shardSize: shardSize) == oneShot, "chunk \(chunk), shard size \(shardSize)")
        }
    }

    /// The one-shot output against whole-split restatements: CIFAR records built in one array,
    /// every PNG from `PNG.encode`, every shard one `TarWriter` given all its members.
    @Test func oneShotEqualsWholeSplitEncodings() throws {
        let folder = try ScratchFolder.make("writer-chunks")
        defer { ScratchFolder.remove(folder) }
        try DatasetWriter(formats: Self.streamed, shardSize: 4, threads: 2).write(Self.prepared, into: folder)
        for (name, data) in Self.prepared.splits {
            var records: [UInt8] = []
            for i in 0..<data.count {
                let image = data.image(at: i).pixels
                records.append(UInt8(data.labels[i]))
                for c in 0..<3 { for k in 0..<20 { records.append(image[k * 3 + c]) } }
            }
            #expect(try FileIO.read(folder + "/cifar/\(name)_batch.bin") == records, "\(name)")
            let pngs = try (0..<data.count).map { try PNG.encode(data.image(at: $0)) }
            let folders = ["a", "b_c", "_d"]
            for i in 0..<data.count {
                #expect(try FileIO.read(folder + "/png/\(name)/\(folders[Int(data.labels[i])])/\(DatasetWriter.key(i)).png") == pngs[i])
            }
            for shard in 0..<max(1, (data.count + 3) / 4) {
                var tar = TarWriter()
                for i in (shard * 4)..<min(shard * 4 + 4, data.count) {
                    tar.addFile(path: "\(name)_\(DatasetWriter.key(i)).png", bytes: pngs[i])
                    tar.addFile(path: "\(name)_\(DatasetWriter.key(i)).cls", bytes: Array("\(data.labels[i])".utf8))
                }
                #expect(try FileIO.read(folder + "/wds/\(name)-\(DatasetWriter.key(shard)).tar") == tar.finish(), "\(name) shard \(shard)")
            }
        }
        // The empty split still has its one empty shard: the two zero blocks.
        #expect(try FileIO.read(folder + "/wds/test-000000.tar") == [UInt8](repeating: 0, count: 1024))
    }

    /// Progress: one pass per written kind (npy, float32, PNG/WebDataset), advanced per split
    /// for the arrays and per chunk for the PNGs, ending at the total; without the float
    /// export the total is the npy and PNG passes, as before chunking.
    @Test func progressCountsEverySampleOncePerPass() throws {
        for (formats, chunk) in [(Self.streamed, 2), ([.png, .wds] as Set<ExportFormat>, 4)] {
            let folder = try ScratchFolder.make("writer-progress")
            defer { ScratchFolder.remove(folder) }
            let seen = ProgressLog()
            try DatasetWriter(formats: formats, shardSize: 1000, threads: 2, chunkSamples: chunk, progress: { seen.add($0, $1) })
                .write(Self.prepared, into: folder)
            let float = formats.contains(.npyFloat32)
            let total = 16 * (float ? 3 : 2)
            let arrays = [11, 16, 16] + (float ? [27, 32, 32] : [])
            let base = float ? 32 : 16
            // PNG chunks: train 11 in chunks of `chunk`, then val 5; the empty split adds none.
            var pngs: [Int] = [], done = base
            for count in [11, 5] {
                for part in stride(from: 0, to: count, by: chunk) { done += min(chunk, count - part); pngs.append(done) }
            }
            #expect(seen.values == (arrays + pngs).map { [$0, total] }, "\(formats)")
        }
    }
}

/// Progress callbacks as they arrived (from the writing thread).
private final class ProgressLog: @unchecked Sendable {
    private let lock = NSLock()
    private var calls: [[Int]] = []
    func add(_ done: Int, _ total: Int) { lock.lock(); calls.append([done, total]); lock.unlock() }
    var values: [[Int]] { lock.lock(); defer { lock.unlock() }; return calls }
}

/// A write shared by several processes, from the writer's side in one: the folder staged once,
/// every `WriteShare`'s arrays and samples written in place, last share first (as other ranks
/// would, in any order), then the record formats and the manifest: the files equal the plain
/// write's, each PNG file and shard is written by exactly one share, and a share writes only
/// inside the staged folders.
extension DatasetWriterChunkTests {
    @Test(arguments: [3, 1000])
    func sharedWriteWritesThePlainBytes(shardSize: Int) throws {
        for (parts, chunk) in [(2, 1), (3, 4), (5, nil)] as [(Int, Int?)] {
            let plain = try Self.digests(chunk: chunk, shardSize: shardSize)
            let folder = try ScratchFolder.make("writer-shares")
            defer { ScratchFolder.remove(folder) }
            let writer = DatasetWriter(formats: Self.streamed, shardSize: shardSize, threads: 2, chunkSamples: chunk)
            try writer.stage(Self.prepared, into: folder)
            var written = 0
            for part in (0..<parts).reversed() {
                let share = WriteShare(index: part, of: parts)
                let before = try ScratchFolder.digests(folder)
                try writer.writeArrays(Self.prepared.splits, into: folder, share: share)
                try writer.writeShare(of: Self.prepared.splits, classNames: Self.classNames, normalization: Self.prepared.normalization,
                                      into: folder, share: share) { written += $0 }
                let made = try ScratchFolder.digests(folder).keys.filter { before[$0] == nil }
                #expect(made.allSatisfy { $0.hasPrefix("png/") || $0.hasPrefix("wds/") }, "only PNG files and shards are new")
            }
            try writer.writeRecordFormats(Self.prepared, into: folder)
            try writer.writeManifest(Self.prepared, into: folder)
            #expect(try ScratchFolder.digests(folder) == plain, "\(parts) shares, chunks of \(chunk ?? 0), shards of \(shardSize)")
            #expect(written == 2 * 16, "every sample's float32 and PNG written once")
        }
    }

    /// A share whose staged folder is gone fails, naming the file, and recreates nothing.
    @Test func shareIntoAMissingStagingFails() throws {
        let folder = try ScratchFolder.make("writer-shares")
        defer { ScratchFolder.remove(folder) }
        let writer = DatasetWriter(formats: Self.streamed, shardSize: 3, threads: 1)
        try writer.stage(Self.prepared, into: folder + "/out")
        try FileManager.default.removeItem(atPath: folder + "/out")
        #expect(throws: DataPrepError.io(path: folder + "/out/train/x.npy", reason: "No such file or directory")) {
            try writer.writeArrays(Self.prepared.splits, into: folder + "/out", share: WriteShare(index: 1, of: 2))
        }
        #expect(throws: DataPrepError.self) {
            try writer.writeShare(of: Self.prepared.splits, classNames: Self.classNames, normalization: nil,
                                  into: folder + "/out", share: WriteShare(index: 1, of: 2))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
    }
}
