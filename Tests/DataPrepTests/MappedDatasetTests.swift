import DataPrep
import Foundation
import Testing
import TestSupport

/// A split output's `x.npy` is mapped, not read: the loaded dataset reads its pixels in place,
/// equal byte for byte to the array it replaces, and loading it grows no anonymous memory.
@Suite(.serialized) struct MappedDatasetTests {
    /// A `.npy` file by numpy.lib.format's rule: version 1.0, header padded so the data starts
    /// at a multiple of 64 bytes.
    static func npyHeader(descr: String, shape: [Int]) -> [UInt8] {
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shapeText), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        let n = header.utf8.count
        return [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0, UInt8(n & 0xFF), UInt8(n >> 8)] + Array(header.utf8)
    }

    /// A two-split output written by `DatasetWriter` from known bytes.
    static func writtenOutput(_ folder: String, normalization: Normalization? = nil, formats: Set<ExportFormat> = [.npy]) throws -> PreparedDataset {
        func split(_ count: Int, seed: Int) -> ImageDataset {
            ImageDataset(height: 4, width: 5, channels: 3, pixels: (0..<(count * 60)).map { UInt8(truncatingIfNeeded: $0 * 7 + seed) },
                         labels: (0..<count).map { Int32($0 % 2) }, classNames: ["cat", "dog"])
        }
        let prepared = PreparedDataset(splits: [("train", split(9, seed: 1)), ("val", split(4, seed: 3))], classNames: ["cat", "dog"],
                                       normalization: normalization, manifest: [], seed: 1, command: "test", source: "test")
        try DatasetWriter(formats: formats, threads: 1).write(prepared, into: folder)
        return prepared
    }

    @Test func splitOutputPixelsAreMappedAndEqualTheArrays() throws {
        let folder = try ScratchFolder.make("mapped")
        defer { ScratchFolder.remove(folder) }
        let prepared = try Self.writtenOutput(folder)
        let loaded = try LoadedDataset.load(path: folder)
        for (name, expected) in prepared.splits {
            let data = try #require(loaded.splits[name])
            #expect(data.storage.isMapped, "\(name)")
            // Equal to the array the old loader built from the whole file, byte for byte.
            let array = try NPYArray(contentsOf: folder + "/\(name)/x.npy")
            #expect(data.pixels == array.data && data.pixels == expected.pixels, "\(name)")
            #expect(data == expected && data.storage == PixelStorage(array.data), "\(name)")
            #expect(data.image(at: 2).pixels == Array(expected.pixels[120..<180]), "\(name)")
        }
        // Shuffled batches read from the mapping are the batches of the in-memory dataset.
        let mapped = try #require(loaded.splits["train"]), inMemory = ImageDataset(
            height: 4, width: 5, channels: 3, pixels: mapped.pixels, labels: mapped.labels, classNames: mapped.classNames)
        #expect(!inMemory.storage.isMapped)
        #expect(try Self.batches(mapped) == Self.batches(inMemory))
    }

    /// A `--normalize` output is mapped like any other (its x.npy is uint8); one of an earlier
    /// version (float32 x.npy) stays readable: its bytes come back exactly.
    @Test func floatOutputsAreRestoredToBytes() throws {
        let folder = try ScratchFolder.make("mapped-float")
        defer { ScratchFolder.remove(folder) }
        let prepared = try Self.writtenOutput(folder, normalization: .standard(mean: [0.5, 0.4, 0.3], std: [0.2, 0.25, 0.3]),
                                              formats: [.npyFloat32])
        for (name, expected) in prepared.splits {
            let data = try #require(try LoadedDataset.load(path: folder).splits[name])
            #expect(data.storage.isMapped && data.pixels == expected.pixels, "\(name)")
        }
        try LegacyFloatOutput.convert(folder)
        let loaded = try LoadedDataset.load(path: folder)
        for (name, expected) in prepared.splits {
            let data = try #require(loaded.splits[name])
            #expect(!data.storage.isMapped && data.pixels == expected.pixels, "\(name)")
        }
    }

    static func batches(_ data: ImageDataset) throws -> [[Float]] {
        var source = ArrayBatchSource(dataset: data, normalization: .unit, shuffleSeed: 7)
        var out: [[Float]] = []
        try source.forEachBatch(epoch: 1, batchSize: 4) { batch in
            out.append(Array(batch.images[0..<(batch.count * batch.sampleSize)]) + batch.labels[0..<batch.count].map(Float.init))
        }
        return out
    }

    /// Header errors name the file, before anything is mapped into a dataset.
    @Test func badMappedHeadersAreTypedErrorsNamingTheFile() throws {
        let folder = try ScratchFolder.make("mapped-bad")
        defer { ScratchFolder.remove(folder) }
        let path = folder + "/x.npy"
        try FileIO.writeAtomically(Self.npyHeader(descr: "|u1", shape: [2, 3]) + [1, 2, 3, 4, 5], to: path)
        #expect(throws: DataPrepError.sizeMismatch(path: path, expected: "6 data bytes for uint8 [2, 3]", found: 5, hint: nil)) {
            _ = try NPYArray.mapped(path)
        }
        try FileIO.writeAtomically([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 9, 0, 0, 0], to: path)
        #expect(throws: DataPrepError.badHeader(path: path, offset: 6, field: "version", expected: "1, 2 or 3", found: "9")) {
            _ = try NPYArray.mapped(path)
        }
        try FileIO.writeAtomically([], to: path)
        #expect(throws: DataPrepError.emptyFile(path: path)) { _ = try NPYArray.mapped(path) }
        #expect(throws: DataPrepError.self) { _ = try NPYArray.mapped(folder + "/absent.npy") }
        // A shape that disagrees with dataset.json is refused naming x.npy.
        let output = try ScratchFolder.make("mapped-shape")
        defer { ScratchFolder.remove(output) }
        _ = try Self.writtenOutput(output)
        try FileIO.writeAtomically(Self.npyHeader(descr: "|u1", shape: [9, 4, 5, 1]) + [UInt8](repeating: 0, count: 180),
                                   to: output + "/train/x.npy")
        #expect(throws: DataPrepError.inconsistent(path: output + "/train/x.npy", reason: "shape [9, 4, 5, 1] but dataset.json says [9, 4, 5, 3]")) {
            _ = try LoadedDataset.load(path: output)
        }
    }

    /// Resident anonymous memory (`RssAnon` in /proc/self/status), in bytes; nil off Linux.
    static func residentAnonymous() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("RssAnon:") }),
              let kB = Int(line.split(separator: " ").dropFirst().first ?? "") else { return nil }
        return kB * 1024
    }

    /// 96 MB of pixels (3072 CIFAR-sized samples per MB): loading the output and running a
    /// shuffled epoch over it grows resident anonymous memory by far less than the pixels (the
    /// old loader held them all, twice while decoding).
    @Test func loadingAndBatchingALargeOutputKeepsAnonymousMemoryBounded() throws {
        guard Self.residentAnonymous() != nil else {
            print("skipped: /proc/self/status has no RssAnon on this system"); return
        }
        let folder = try ScratchFolder.make("mapped-large")
        defer { ScratchFolder.remove(folder) }
        let count = 32_768, sample = 32 * 32 * 3
        try FileIO.makeDirectories(folder + "/train")
        let handle = try #require(FileHandle(forWritingAtPath: { _ = FileManager.default.createFile(atPath: folder + "/train/x.npy", contents: nil); return folder + "/train/x.npy" }()))
        try handle.write(contentsOf: Self.npyHeader(descr: "|u1", shape: [count, 32, 32, 3]))
        let chunk = [UInt8]((0..<(1024 * sample)).map { UInt8(truncatingIfNeeded: $0 / 97) })
        for _ in 0..<(count / 1024) { try handle.write(contentsOf: chunk) }
        try handle.close()
        let labels = (0..<count).flatMap { i in (0..<8).map { UInt8(truncatingIfNeeded: (i % 10) >> (8 * $0)) } }
        try FileIO.writeAtomically(Self.npyHeader(descr: "<i8", shape: [count]) + labels, to: folder + "/train/y.npy")
        let descriptor = DatasetDescriptor(height: 32, width: 32, channels: 3, dtype: "uint8", classNames: (0..<10).map { "c\($0)" },
                                           normalization: nil, splits: [.init(name: "train", count: count, x: "train/x.npy", y: "train/y.npy",
                                                                              histogram: [Int](repeating: count / 10, count: 10))],
                                           seed: nil, command: nil)
        try FileIO.writeAtomically(Array(try JSONEncoder().encode(descriptor)), to: folder + "/dataset.json")

        let before = try #require(Self.residentAnonymous())
        let loaded = try LoadedDataset.load(path: folder)
        let data = try #require(loaded.splits["train"])
        var source = ArrayBatchSource(dataset: data, normalization: .unit, shuffleSeed: 3)
        var sum: Float = 0
        try source.forEachBatch(epoch: 1, batchSize: 256) { batch in sum += batch.images[0] }
        let grown = try #require(Self.residentAnonymous()) - before
        #expect(data.storage.isMapped && sum > 0)
        print("RssAnon grew by \(grown / 1_000_000) MB loading and batching \(count * sample / 1_000_000) MB of mapped pixels")
        #expect(grown < count * sample / 4, "RssAnon grew by \(grown) bytes for \(count * sample) bytes of pixels")
    }
}
