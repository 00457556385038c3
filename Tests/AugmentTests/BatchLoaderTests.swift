import DataPrep
import Testing
@testable import Augment

/// The loader: per-sample determinism across threads and batch sizes, equality with the
/// in-memory source without augmentation, nothing dropped, errors stop it.
@Suite struct BatchLoaderTests {
    /// 37 samples of 9x7 RGB with per-sample formula pixels and labels `i % 3`.
    static let dataset: ImageDataset = {
        let n = 37, w = 9, h = 7, c = 3
        var pixels: [UInt8] = []
        for i in 0..<n { for y in 0..<h { for x in 0..<w { for k in 0..<c { pixels.append(UInt8((i * 13 + x * 29 + y * 17 + k * 71) & 255)) } } } }
        return ImageDataset(height: h, width: w, channels: c, pixels: pixels, labels: (0..<n).map { Int32($0 % 3) },
                            classNames: ["a", "b", "c"])
    }()

    static let pipeline = Pipeline([.rotation(Rotation(degrees: 25)), .shift(Shift(width: 0.2, height: 0.2)),
                                    .horizontalFlip(HorizontalFlip()), .randomCrop(RandomCrop(padding: 2)),
                                    .contrast(Contrast(lower: 0.8, upper: 1.2)), .gaussianNoise(GaussianNoise(std: 0.05)),
                                    .cutout(Cutout(size: 3))])

    /// Every sample of `epoch` by index: (floats, label), plus the batch sizes seen, in order.
    static func collect(_ source: inout some BatchSource, epoch: Int, batchSize: Int) throws -> (samples: [Int: ([Float], Int32)], sizes: [Int], order: [Int]) {
        var samples: [Int: ([Float], Int32)] = [:], sizes: [Int] = [], order: [Int] = []
        try source.forEachBatch(epoch: epoch, batchSize: batchSize) { batch in
            #expect(batch.epoch == epoch)
            sizes.append(batch.count)
            for k in 0..<batch.count {
                let i = batch.indices[k]
                #expect(samples[i] == nil, "sample \(i) delivered twice")
                samples[i] = (Array(batch.images[(k * batch.sampleSize)..<((k + 1) * batch.sampleSize)]), batch.labels[k])
                order.append(i)
            }
        }
        return (samples, sizes, order)
    }

    @Test func samePixelsWithOneOrTwoThreadsAndAnyBatchSize() throws {
        var one = BatchLoader(dataset: Self.dataset, pipeline: Self.pipeline, seed: 11, threads: 1)
        var two = BatchLoader(dataset: Self.dataset, pipeline: Self.pipeline, seed: 11, threads: 2, prefetch: 2)
        var unshuffled = BatchLoader(dataset: Self.dataset, pipeline: Self.pipeline, seed: 11, shuffle: false, threads: 2)
        for epoch in 0..<2 {
            let a = try Self.collect(&one, epoch: epoch, batchSize: 8)
            let b = try Self.collect(&two, epoch: epoch, batchSize: 5)
            let c = try Self.collect(&unshuffled, epoch: epoch, batchSize: 37)
            #expect(a.sizes == [8, 8, 8, 8, 5])
            #expect(b.sizes == [5, 5, 5, 5, 5, 5, 5, 2])
            #expect(c.sizes == [37] && c.order == Array(0..<37))
            #expect(a.samples.count == 37 && Set(a.order) == Set(0..<37))
            for i in 0..<37 {
                #expect(a.samples[i]!.0 == b.samples[i]!.0, "sample \(i) epoch \(epoch)")
                #expect(a.samples[i]!.0 == c.samples[i]!.0, "sample \(i) epoch \(epoch)")
                #expect(a.samples[i]!.1 == Int32(i % 3))
            }
            // The same order for the same seed, whatever the batch size and thread count.
            #expect(a.order == b.order && a.order == one.order(epoch: epoch))
        }
        // Augmentation really happened, and differs between epochs.
        let e0 = try Self.collect(&one, epoch: 0, batchSize: 8), e1 = try Self.collect(&one, epoch: 1, batchSize: 8)
        var plain = ArrayBatchSource(dataset: Self.dataset)
        let original = try Self.collect(&plain, epoch: 0, batchSize: 8)
        #expect((0..<37).filter { e0.samples[$0]!.0 != original.samples[$0]!.0 }.count > 30)
        #expect((0..<37).filter { e0.samples[$0]!.0 != e1.samples[$0]!.0 }.count > 30)
        #expect(e0.order != e1.order)
    }

    @Test func matchesThePipelineAppliedToOneImage() throws {
        // What the loader feeds for sample i of epoch e is `Pipeline.augmented(seed:epoch:index:)`.
        var loader = BatchLoader(dataset: Self.dataset, pipeline: Self.pipeline, seed: 11, threads: 2)
        let got = try Self.collect(&loader, epoch: 3, batchSize: 16)
        for i in [0, 17, 36] {
            let expected = Self.pipeline.augmented(Self.dataset.image(at: i), seed: 11, epoch: 3, index: i).image
            #expect(got.samples[i]!.0.map { Normalization.unit.byte(from: $0, channel: 0) } == expected.pixels)
        }
    }

    @Test(arguments: [Normalization.unit, .standard(mean: [0.5, 0.4, 0.3], std: [0.2, 0.25, 0.3])])
    func emptyPipelineEqualsArrayBatchSource(normalization: Normalization) throws {
        var loader = BatchLoader(dataset: Self.dataset, normalization: normalization, seed: 4, threads: 2)
        var reference = ArrayBatchSource(dataset: Self.dataset, normalization: normalization, shuffleSeed: 4)
        for epoch in 0..<2 {
            var ours: [([Float], [Int32], [Int])] = [], theirs: [([Float], [Int32], [Int])] = []
            try loader.forEachBatch(epoch: epoch, batchSize: 10) { b in
                ours.append((Array(b.images[0..<(b.count * b.sampleSize)]), Array(b.labels[0..<b.count]), Array(b.indices[0..<b.count])))
            }
            try reference.forEachBatch(epoch: epoch, batchSize: 10) { b in
                theirs.append((Array(b.images[0..<(b.count * b.sampleSize)]), Array(b.labels[0..<b.count]), Array(b.indices[0..<b.count])))
            }
            #expect(ours.count == 4 && ours.count == theirs.count)
            for (x, y) in zip(ours, theirs) { #expect(x.0 == y.0 && x.1 == y.1 && x.2 == y.2) }
        }
    }

    struct Stop: Error {}

    @Test func anErrorInTheBodyStopsTheEpochAndIsRethrown() throws {
        var loader = BatchLoader(dataset: Self.dataset, pipeline: Self.pipeline, seed: 1, threads: 2, prefetch: 1)
        var seen = 0
        #expect(throws: Stop.self) {
            try loader.forEachBatch(epoch: 0, batchSize: 4) { _ in
                seen += 1
                if seen == 2 { throw Stop() }
            }
        }
        #expect(seen == 2)
        // The loader is usable again afterwards.
        let again = try Self.collect(&loader, epoch: 0, batchSize: 4)
        #expect(again.samples.count == 37)
    }
}

/// `BatchFilling`: a source asked for a share of each batch fills exactly those samples, with
/// the pixels the whole batch would have had, and describes every sample (labels, indices).
@Suite struct BatchFillingTests {
    /// Batch k of 10 fills samples k..<k+4 (clamped); batch 2 nothing.
    static let rule = BatchFilling { batch, count in batch == 2 ? 0..<0 : batch..<batch + 4 }

    static func check(_ make: () -> any BatchSource) throws {
        var whole = make(), shared = make()
        var expected: [(images: [Float], labels: [Int32], indices: [Int], count: Int)] = []
        try whole.forEachBatch(epoch: 1, batchSize: 10) { b in
            expected.append((b.images, b.labels, b.indices, b.count))
        }
        var k = 0
        try shared.forEachBatch(epoch: 1, batchSize: 10, filling: rule) { b in
            defer { k += 1 }
            let e = expected[k], size = b.sampleSize
            #expect(b.count == e.count)
            #expect(b.filled == Self.rule.samples(batch: k, count: b.count))
            #expect(Array(b.labels[0..<b.count]) == Array(e.labels[0..<e.count]))
            #expect(Array(b.indices[0..<b.count]) == Array(e.indices[0..<e.count]))
            for i in b.filled { #expect(Array(b.images[i * size..<(i + 1) * size]) == Array(e.images[i * size..<(i + 1) * size])) }
            if k == 0 {  // fresh storage: the samples outside the share were never written
                #expect(b.images[(b.filled.upperBound * size)..<(b.count * size)].allSatisfy { $0 == 0 })
                #expect(!e.images[(b.filled.upperBound * size)..<(e.count * size)].allSatisfy { $0 == 0 })
            }
        }
        #expect(k == 4)
    }

    @Test func arraySourceFillsItsShare() throws {
        try Self.check { ArrayBatchSource(dataset: BatchLoaderTests.dataset, normalization: .unit, shuffleSeed: 3) }
    }

    @Test func loaderAugmentsOnlyItsShare() throws {
        try Self.check { BatchLoader(dataset: BatchLoaderTests.dataset, pipeline: BatchLoaderTests.pipeline, seed: 3, threads: 2, prefetch: 1) }
    }
}
