import DataPrep
import Foundation
import Testing
import TestSupport
import Train
import Workflows

/// `EvaluateWorkflow` and `ExplainWorkflow` called directly on a run trained on the MNIST fixture.
@Suite struct EvaluateExplainWorkflowTests {
    /// The 10 test samples in stored order: metrics agree with the predictions, the four files
    /// are written beside the checkpoint, and a second evaluation is refused without `overwrite`.
    @Test func evaluatesTheTestSplitAndWritesItsReport() throws {
        let (folder, run) = try WorkflowFixtures.trainedRun("wf-evaluate")
        defer { ScratchFolder.remove(folder) }
        var workflow = EvaluateWorkflow(checkpoint: run, data: WorkflowFixtures.mnist)
        workflow.threads = 1
        let outcome = try workflow.run()
        #expect(outcome.split == "test" && outcome.checkpoint == run + "/best")
        #expect(outcome.directory == run + "/eval-mnist-test")
        #expect(outcome.metrics.samples == 10 && outcome.classNames.count == 10)
        let correct = outcome.predictions.predicted.indices.filter { outcome.predictions.predicted[$0] == outcome.predictions.labels[$0] }.count
        #expect(outcome.metrics.accuracy == Double(correct) / 10)
        for file in ["predictions.csv", "metrics.json", "confusion.png", "confusion.svg", "report.html"] {
            #expect(FileIO.exists(outcome.directory + "/" + file), "\(file)")
        }
        #expect(throws: (any Error).self) { try workflow.run() }
        workflow.overwrite = true
        workflow.batchSize = 3
        #expect(try workflow.run().predictions.probabilities == outcome.predictions.probabilities)
    }

    /// Sample 2 of the test split: the occlusion map has one value per pixel, the summary lists
    /// every file written, and an index past the split names the split's range.
    @Test func explainsADatasetSample() throws {
        let (folder, run) = try WorkflowFixtures.trainedRun("wf-explain")
        defer { ScratchFolder.remove(folder) }
        var workflow = ExplainWorkflow(checkpoint: run, input: WorkflowFixtures.mnist, out: folder + "/explain")
        (workflow.index, workflow.samplesPerClass, workflow.threads) = (2, 3, 1)
        let outcome = try workflow.run()
        let summary = outcome.summary
        #expect(summary.split == "test" && summary.index == 2)
        #expect(summary.occlusion.positions == (28 - 3 + 1) * (28 - 3 + 1))   // every placement of the 3x3 patch, stride 1
        #expect(summary.activations.map(\.layer) == ["conv2d"])
        #expect(summary.files == ["occlusion.png", "occlusion.svg", "occlusion.csv", "activations-conv2d.png", "activations-conv2d.svg", "layer-stats.csv", "explain.json"])
        #expect(try FileIO.listAll(folder + "/explain").sorted() == summary.files.sorted())
        #expect(abs(summary.probabilities.reduce(0, +) - 1) < 1e-5)
        #expect(outcome.statistics != nil)

        workflow.index = 10
        #expect { try workflow.run() } throws: { "\($0)".contains("--index 10 is outside split test of \(WorkflowFixtures.mnist) (0..<10)") }
    }
}
