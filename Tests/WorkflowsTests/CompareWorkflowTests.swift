import DataPrep
import Foundation
import Testing
import TestSupport
import Train
import Workflows

/// `CompareWorkflow` on runs trained separately by `train`.
@Suite struct CompareWorkflowTests {
    @Test func comparesTwoExistingRuns() throws {
        let folder = try ScratchFolder.make("compare")
        defer { ScratchFolder.remove(folder) }
        var options = WorkflowFixtures.trainOptions(out: folder + "/baseline")
        _ = try TrainWorkflow(model: WorkflowFixtures.spec, options: options).run(data: WorkflowFixtures.mnist)
        options.out = folder + "/l2"
        options.l2 = 0.01
        _ = try TrainWorkflow(model: WorkflowFixtures.spec, options: options).run(data: WorkflowFixtures.mnist)
        var evaluation = EvaluateWorkflow(checkpoint: folder + "/l2", data: WorkflowFixtures.mnist)
        evaluation.threads = 1
        let evaluated = try evaluation.run()

        var compare = CompareWorkflow(runs: [folder + "/baseline", folder + "/l2/"], out: folder + "/cmp")
        compare.metric = "val_accuracy"
        let table = try compare.run()
        #expect(Set(table.rows.map(\.name)) == ["baseline", "l2"] && table.metric == "val_accuracy")
        for row in table.rows {
            let run = folder + "/" + row.name
            let history = try JSONDecoder().decode([EpochRecord].self, from: Data(FileIO.read(run + "/history.json")))
            // The first epoch with the highest val_accuracy.
            let best = history.first { $0.validationAccuracy == history.map { $0.validationAccuracy! }.max() }!
            #expect(row.bestEpoch == Double(best.epoch) && row.valLoss == best.validationLoss && row.loss == best.loss)
            #expect(row.parameters == 7890 && row.settings.isEmpty)
            #expect(row.wallSeconds == history.reduce(0) { $0 + $1.seconds })
        }
        let l2 = table.rows.first { $0.name == "l2" }!, baseline = table.rows.first { $0.name == "baseline" }!
        #expect(l2.testAccuracy == evaluated.metrics.accuracy && baseline.testAccuracy == nil)
        #expect(table.rows[0].valAccuracy! >= table.rows[1].valAccuracy!)
        for file in ["summary.csv", "summary.json", "report.html", "curves-val_loss.png", "curves-val_loss.svg", "curves-val_accuracy.png", "curves-val_accuracy.svg"] {
            #expect(FileIO.exists(folder + "/cmp/" + file), "\(file)")
        }

        // A second comparison replaces the first; a folder that is not one is refused.
        _ = try compare.run()
        let refused = CompareWorkflow(runs: [folder + "/baseline"], out: folder + "/l2")
        #expect { try refused.run() } throws: { "\($0)".contains("exists and is not a comparison") }
        #expect(throws: WorkflowError.self) {
            var bad = CompareWorkflow(runs: [folder + "/baseline"], out: folder + "/cmp2")
            bad.metric = "val_precision"
            _ = try bad.run()
        }
    }

    @Test func sameFolderNamesAreToldApartByTheirParents() {
        #expect(CompareWorkflow.names(["a/run", "b/run/", "c"]) == ["a/run", "b/run", "c"])
    }
}
