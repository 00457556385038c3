import Foundation
import Testing
import TestSupport
@testable import DataPrep

/// The compact per-sample metadata of issue 14 (`SampleOrigins`, `SampleDigests`,
/// `ManifestTable`) reads exactly as the strings and rows it replaced.
struct CompactMetadataTests {
    @Test func recordOriginsAreFileHashIndex() {
        let origins = SampleOrigins(records: "train-images-idx3-ubyte", count: 3)
        #expect(Array(origins) == ["train-images-idx3-ubyte#0", "train-images-idx3-ubyte#1", "train-images-idx3-ubyte#2"])
        let picked = origins.gathering([2, 0, 2])
        #expect(Array(picked) == ["train-images-idx3-ubyte#2", "train-images-idx3-ubyte#0", "train-images-idx3-ubyte#2"])
        #expect(Array(picked.gathering([1])) == ["train-images-idx3-ubyte#0"])
        #expect(SampleOrigins(records: "x", count: 0).isEmpty)
    }

    @Test func pathOriginsRoundTripThroughTheSharedPrefix() {
        let paths = ["cat.0.jpg", "ünï/ç a,\"b\".png", "", "dog/deep/1.jpeg"]
        let origins = SampleOrigins(prefix: "photos/", paths: paths)
        #expect(Array(origins) == paths.map { "photos/" + $0 })
        #expect(origins == SampleOrigins(paths.map { "photos/" + $0 }), "equal however stored")
        #expect(origins != SampleOrigins(prefix: "photos/", paths: paths.reversed()))
        #expect(Array(origins.gathering([3, 1, 1])) == ["photos/dog/deep/1.jpeg", "photos/ünï/ç a,\"b\".png", "photos/ünï/ç a,\"b\".png"])
    }

    @Test func concatenatedOriginsKeepEveryPartInOrder() {
        let a = SampleOrigins(prefix: "p/", paths: ["1", "22"]), b = SampleOrigins(prefix: "p/", paths: ["333"])
        let shared = SampleOrigins.concatenating([a, b])
        #expect(shared.prefix == "p/" && Array(shared) == ["p/1", "p/22", "p/333"])
        let mixed = SampleOrigins.concatenating([SampleOrigins(records: "train", count: 2), SampleOrigins(prefix: "q:", paths: ["x"])])
        #expect(Array(mixed) == ["train#0", "train#1", "q:x"])
        #expect(SampleOrigins.concatenating([]).isEmpty)
    }

    @Test func digestsAreRawSHA256ReadAsHex() throws {
        let inputs: [[UInt8]] = [[], Array("abc".utf8), [UInt8](repeating: 7, count: 1000)]
        let hex = inputs.map(SHA256.hexHash)
        #expect(hex[1] == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")  // FIPS 180-2, "abc"
        let digests = try #require(SampleDigests(hex: hex))
        #expect(digests.storage.count == 3 * 32 && Array(digests) == hex)
        #expect(digests.bytes(at: 1) == SHA256.hash(inputs[1]))
        #expect(SampleDigests(hex: hex.map { $0.uppercased() }) == digests)
        #expect(Array(digests.gathering([2, 2, 0])) == [hex[2], hex[2], hex[0]])
        #expect(Array(SampleDigests.concatenating([digests.gathering([1]), digests.gathering([0])])) == [hex[1], hex[0]])
        #expect(SampleDigests().isEmpty)
        #expect(SampleDigests(hex: [hex[0], "not hex"]) == nil && SampleDigests(hex: [String(hex[0].dropLast())]) == nil)
    }

    /// Digests spilled by the collection loader are consecutive windows of one mapped file:
    /// pooling them copies nothing, and they read as the files' digests.
    @Test func spilledDigestsPoolWithoutACopy() throws {
        let folder = try ScratchFolder.make("compact-digests")
        defer { ScratchFolder.remove(folder) }
        var options = LoadedDataset.Options(size: (8, 8), hashSources: true)
        options.spillDirectory = folder
        let path = TestPaths.fixture("collections/splits")
        let loaded = try LoadedDataset.load(path: path, options: options)
        #expect(loaded.sourceHashes.count > 1 && loaded.sourceHashes.allSatisfy { $0.storage.isMapped })
        let pooled = SampleDigests.concatenating(loaded.sourceHashes)
        #expect(pooled.storage.isMapped && Array(pooled) == loaded.sourceHashes.flatMap { Array($0) })
        let inMemory = try LoadedDataset.load(path: path, options: .init(size: (8, 8), hashSources: true))
        #expect(inMemory.sourceHashes == loaded.sourceHashes && inMemory.origins == loaded.origins)
        for (origins, digests) in zip(loaded.origins, loaded.sourceHashes) {
            for (origin, digest) in zip(origins, digests) { #expect(digest == SHA256.hexHash(try FileIO.read(origin)), "\(origin)") }
        }
    }

    /// A photo that fails to decode between kept ones (`by-class/dog/broken.jpg`): the kept
    /// photos are stored a run at a time around it, spilled or in memory, with the same pixels,
    /// origins and digests either way, and the failure reported once.
    @Test func aFailedPhotoMidChunkLeavesTheSameSamplesSpilledOrNot() throws {
        let folder = try ScratchFolder.make("compact-broken")
        defer { ScratchFolder.remove(folder) }
        let path = TestPaths.fixture("collections/by-class")
        var options = LoadedDataset.Options(size: (8, 8), hashSources: true)
        options.chunkBytes = 8 * 8 * 3 * 2  // two photos per chunk
        let inMemory = try LoadedDataset.load(path: path, options: options)
        options.spillDirectory = folder
        let spilled = try LoadedDataset.load(path: path, options: options)
        #expect(spilled.splits == inMemory.splits && spilled.origins == inMemory.origins && spilled.sourceHashes == inMemory.sourceHashes)
        #expect(spilled.skipped.filter { $0.path.hasSuffix("broken.jpg") }.count == 1)
        #expect(!spilled.origins.joined().contains { $0.hasSuffix("broken.jpg") })
        for (origins, digests) in zip(spilled.origins, spilled.sourceHashes) {
            for (origin, digest) in zip(origins, digests) { #expect(digest == SHA256.hexHash(try FileIO.read(origin)), "\(origin)") }
        }
    }

    /// A table over two sources with a class map makes, row by row, the rows spelled out by hand.
    @Test func tableRowsEqualTheRowsSpelledOut() throws {
        let hex = (0..<3).map { SHA256.hexHash([UInt8($0)]) }
        let ten = ManifestTable.Source(tag: "cifar10:", origins: SampleOrigins(records: "data_batch_1.bin", count: 2),
                                       digests: try #require(SampleDigests(hex: Array(hex[0..<2]))))
        let hundred = ManifestTable.Source(tag: "cifar100:", origins: SampleOrigins(prefix: "d/", paths: ["x.png"]),
                                           digests: try #require(SampleDigests(hex: [hex[2]])))
        let table = ManifestTable(
            sources: [ten, hundred],
            splits: [ManifestTable.Split(name: "train", indices: [1, 0, 0], sources: [0, 1, 0], labels: [1, 0, 1], originalLabels: [2, 0, 1]),
                     ManifestTable.Split(name: "test", indices: [], sources: [], labels: [], originalLabels: []),
                     ManifestTable.Split(name: "val", indices: [0], sources: [1], labels: [0], originalLabels: [2])],
            classNames: ["a", "b"], originalClassNames: ["o0", "o1", "o2"])
        let expected = [
            ManifestRow(split: "train", index: 0, source: "cifar10:data_batch_1.bin#1", label: 1, className: "b", sha256: hex[1],
                        originalLabel: 2, originalClassName: "o2"),
            ManifestRow(split: "train", index: 1, source: "cifar100:d/x.png", label: 0, className: "a", sha256: hex[2],
                        originalLabel: 0, originalClassName: "o0"),
            ManifestRow(split: "train", index: 2, source: "cifar10:data_batch_1.bin#0", label: 1, className: "b", sha256: hex[0],
                        originalLabel: 1, originalClassName: "o1"),
            ManifestRow(split: "val", index: 0, source: "cifar100:d/x.png", label: 0, className: "a", sha256: hex[2],
                        originalLabel: 2, originalClassName: "o2"),
        ]
        #expect(Array(table) == expected && table.isRelabeled)
        #expect(table == ManifestTable(rows: expected))
        let plain = ManifestTable(sources: [ten], splits: [ManifestTable.Split(name: "all", indices: [0], labels: [0])], classNames: ["a"])
        #expect(!plain.isRelabeled && plain[0].originalLabel == nil && plain[0].originalClassName == nil)
    }

    /// The manifest files written from a real split's table are the bytes of the old writers
    /// fed every row at once, and each row names the file whose SHA-256 it holds.
    @Test(arguments: [false, true])
    func manifestFilesFromTheTableEqualTheWholeRowEncoding(relabel: Bool) throws {
        let source = TestPaths.fixture("collections/kaggle")
        var job = SplitJob(source: source, spec: try SplitSpec(sizes: .ratios([0.5, 0.5]), allowShort: true), seed: 3,
                           load: .init(size: (width: 12, height: 12), threads: 2))
        job.allowSingleClass = true
        if relabel { job.classMap = try ClassMap(parsing: "cat=feline;*=other") }
        let prepared = try job.prepare().prepared
        let rows = Array(prepared.manifest)
        #expect(rows.count == prepared.splits.reduce(0) { $0 + $1.data.count } && rows.allSatisfy { ($0.originalLabel != nil) == relabel })
        for row in rows {
            let data = try #require(prepared.splits.first { $0.name == row.split }?.data)
            #expect(Int(data.labels[row.index]) == row.label && prepared.classNames[row.label] == row.className)
            #expect(row.sha256 == SHA256.hexHash(try FileIO.read(row.source)), "\(row.source)")
        }
        let csv = try ManifestStreamingTests.collect { try Manifest.writeCSV(prepared.manifest, to: $0) }
        #expect(csv == Array(Manifest.csv(rows).utf8))
        let document = Manifest.Document(seed: 3, command: "c", source: source, classNames: prepared.classNames, samples: rows)
        let json = try ManifestStreamingTests.collect { try Manifest.writeJSON(document, samples: prepared.manifest, to: $0) }
        #expect(json == (try StableJSON.encode(document)))
    }
}
