import Foundation
import Testing
import TestSupport
@testable import DataPrep

/// `--normalize` is recorded in `dataset.json` and applied by the loader: batches from a
/// `--normalize standard` split are the floats the `npy-float32` export holds, and the batches
/// an earlier version's float32 output gives.
@Suite struct RecordedNormalizationTests {
    /// A standard split of the MNIST fixture, written with the float32 export.
    static func normalizedSplit(into folder: String) throws -> PreparedDataset {
        let job = SplitJob(source: TestPaths.fixture("idx/mnist"), spec: try SplitSpec(sizes: .perClass([2, 1])), seed: 4,
                           load: .init(threads: 2), normalize: .standard, command: "test")
        let prepared = try job.prepare().prepared
        try DatasetWriter(formats: [.npyFloat32], threads: 2).write(prepared, into: folder)
        return prepared
    }

    /// Every batch of `epoch`, images then labels, through the loaded normalization.
    static func batches(_ loaded: LoadedDataset, split: String, shuffleSeed: UInt64?) throws -> [[Float]] {
        let normalization = try #require(loaded.normalization)
        var source = ArrayBatchSource(dataset: try #require(loaded.splits[split]), normalization: normalization, shuffleSeed: shuffleSeed)
        var out: [[Float]] = []
        try source.forEachBatch(epoch: 1, batchSize: 3) { batch in
            out.append(Array(batch.images[0..<(batch.count * batch.sampleSize)]) + batch.labels[0..<batch.count].map(Float.init))
        }
        return out
    }

    @Test func loaderAppliesTheRecordedNormalizationAsTheFloatOutputDid() throws {
        let folder = try ScratchFolder.make("recorded-norm"), legacy = try ScratchFolder.make("recorded-norm-legacy")
        defer { ScratchFolder.remove(folder); ScratchFolder.remove(legacy) }
        let prepared = try Self.normalizedSplit(into: folder)
        _ = try Self.normalizedSplit(into: legacy)
        try LegacyFloatOutput.convert(legacy)

        let loaded = try LoadedDataset.load(path: folder), old = try LoadedDataset.load(path: legacy)
        #expect(loaded.normalization == prepared.normalization && old.normalization == prepared.normalization)
        guard case .standard = loaded.normalization else { Issue.record("expected standard, got \(String(describing: loaded.normalization))"); return }
        for (name, data) in prepared.splits {
            // In stored order the batches are the export's floats, (x/255 - mean)/std exactly.
            let exported = try #require(try NPYArray(contentsOf: folder + "/npy-float32/\(name)/x.npy").floatValues)
            let stored = try Self.batches(loaded, split: name, shuffleSeed: nil)
            let images = stored.flatMap { batch in batch.prefix(batch.count / (data.sampleSize + 1) * data.sampleSize) }
            #expect(images == exported, "\(name)")
            // Shuffled, the same batches as the float32 output of earlier versions.
            #expect(try Self.batches(loaded, split: name, shuffleSeed: 7) == Self.batches(old, split: name, shuffleSeed: 7), "\(name)")
        }
    }
}
