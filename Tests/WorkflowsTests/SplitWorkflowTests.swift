import DataPrep
import Foundation
import Testing
import TestSupport
import Workflows

/// `SplitWorkflow` called directly: the output folder, its summary, and seeded reproducibility.
@Suite struct SplitWorkflowTests {
    func split(into out: String, seed: UInt64, threads: Int) throws -> SplitSummary {
        let spec = try SplitSpec(sizes: .ratios([0.5, 0.5]), names: nil, allowShort: false)
        let job = SplitJob(source: WorkflowFixtures.mnist, spec: spec, seed: seed,
                           load: LoadedDataset.Options(threads: threads), dedupe: false, normalize: nil, command: "test")
        return try SplitWorkflow(job: job, output: DatasetOutput(folder: out)).run()
    }

    /// The fixture's 30 samples split 15/15 per the ratios; the same seed with another thread
    /// count gives byte-identical files.
    @Test func splitsAndWritesReproducibly() throws {
        let folder = try ScratchFolder.make("wf-split")
        defer { ScratchFolder.remove(folder) }
        let summary = try split(into: folder + "/a", seed: 3, threads: 1)
        #expect(summary.output == folder + "/a")
        #expect(summary.splits.map(\.name) == ["train", "test"])
        #expect(summary.splits.map(\.count).reduce(0, +) == 30)
        for file in ["dataset.json", "classes.txt", "manifest.csv", "train/x.npy", "test/y.npy"] {
            #expect(FileIO.exists(folder + "/a/" + file), "\(file)")
        }
        _ = try split(into: folder + "/b", seed: 3, threads: 2)
        #expect(try ScratchFolder.digests(folder + "/a") == ScratchFolder.digests(folder + "/b"))
    }

    /// A folder that is not a dataprep dataset is refused and left as it was.
    @Test func refusesAForeignOutputFolder() throws {
        let folder = try ScratchFolder.make("wf-split-refused")
        defer { ScratchFolder.remove(folder) }
        try FileIO.writeAtomically([1, 2, 3], to: folder + "/mine.txt")
        #expect(throws: DataPrepError.self) { _ = try split(into: folder, seed: 1, threads: 1) }
        #expect(try FileIO.listAll(folder) == ["mine.txt"])
    }
}
