import DataPrep
import Foundation
import Testing
import TestSupport
import Workflows

/// `train` on a `--normalize standard` split: the normalization recorded in `dataset.json`
/// reaches the run (its checkpoint records it) and the batches, which are those of the float32
/// output earlier versions wrote: the same seed trains bit-identical weights.
@Suite struct NormalizedTrainingTests {
    static func split(into out: String, normalize: SplitJob.NormalizeMode?) throws {
        let job = SplitJob(source: WorkflowFixtures.mnist, spec: try SplitSpec(sizes: .ratios([0.7, 0.3])), seed: 2,
                           load: LoadedDataset.Options(threads: 2), normalize: normalize, command: "test")
        _ = try SplitWorkflow(job: job, output: DatasetOutput(folder: out, formats: [.npyFloat32])).run()
    }

    static func train(_ data: String, into run: String) throws -> (weights: [UInt8], normalization: [String: Any]) {
        let outcome = try TrainWorkflow(model: WorkflowFixtures.spec, options: WorkflowFixtures.trainOptions(out: run)).run(data: data)
        #expect(outcome.reason == .completed)
        let info = try #require(JSONSerialization.jsonObject(with: Data(FileIO.read(run + "/last/checkpoint.json"))) as? [String: Any])
        return (try FileIO.read(run + "/last/model.safetensors"), try #require(info["normalization"] as? [String: Any]))
    }

    @Test func trainsWithTheRecordedNormalizationAsOnTheFloatOutput() throws {
        let folder = try ScratchFolder.make("wf-normalized")
        defer { ScratchFolder.remove(folder) }
        try Self.split(into: folder + "/standard", normalize: .standard)
        try Self.split(into: folder + "/legacy", normalize: .standard)
        try LegacyFloatOutput.convert(folder + "/legacy")
        try Self.split(into: folder + "/plain", normalize: nil)
        let recorded = try #require(try SplitOutput(folder: folder + "/standard")?.descriptor.normalization)
        guard case let .standard(mean, std) = recorded else { Issue.record("expected standard, got \(recorded)"); return }

        let standard = try Self.train(folder + "/standard", into: folder + "/run-standard")
        #expect(standard.normalization["kind"] as? String == "standard")
        #expect((standard.normalization["mean"] as? [Double])?.map(Float.init) == mean)
        #expect((standard.normalization["std"] as? [Double])?.map(Float.init) == std)
        // Same batches as the float32 x.npy gave: the same weights, bit for bit.
        #expect(try Self.train(folder + "/legacy", into: folder + "/run-legacy").weights == standard.weights)
        // And the normalization is really applied: the same bytes as x/255 train other weights.
        let plain = try Self.train(folder + "/plain", into: folder + "/run-plain")
        #expect(plain.normalization["kind"] as? String == "unit")
        #expect(plain.weights != standard.weights)
    }
}
