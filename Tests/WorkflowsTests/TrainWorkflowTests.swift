import DataPrep
import Foundation
import Testing
import TestSupport
import Train
import Workflows

/// `TrainWorkflow` and `FineTuneWorkflow` called directly: runs, checkpoints, interruption and
/// resume, the fine-tuned head, and the errors that name the caller's mistake.
@Suite struct TrainWorkflowTests {
    @Test func trainsSavesCheckpointsAndReportsEpochs() throws {
        let folder = try ScratchFolder.make("wf-train")
        defer { ScratchFolder.remove(folder) }
        let recorded = RecordedEvents()
        let outcome = try TrainWorkflow(model: WorkflowFixtures.spec, options: WorkflowFixtures.trainOptions(out: folder + "/run"))
            .run(data: WorkflowFixtures.mnist, events: recorded.events)
        #expect(outcome.reason == .completed)
        #expect(outcome.result.epochs == 2 && outcome.result.seed == 5 && outcome.result.history.count == 2)
        #expect(recorded.epochs.count == 2 && recorded.epochs[0].hasPrefix("epoch 1/2  loss "))
        // No val split in the fixture: 0.1 of its 20 training samples are held out, stratified and seeded.
        #expect(recorded.notes.contains { $0.contains("on 18 samples, validating on 2 samples carved from train (fraction 0.1, stratified by class, seed 5)") })
        for file in ["last/model.safetensors", "best/checkpoint.json", "history.csv", "report.html", "curves.png", "curves.svg"] {
            #expect(FileIO.exists(folder + "/run/" + file), "\(file)")
        }
        #expect(outcome.closingLine.hasPrefix("done: best epoch "))
    }

    /// Stopping after 3 batches saves RUN/last; resuming to 2 epochs gives the weights of a
    /// straight 2-epoch run, bit for bit.
    @Test func interruptedRunResumesToTheStraightRunsWeights() throws {
        let folder = try ScratchFolder.make("wf-resume")
        defer { ScratchFolder.remove(folder) }
        let recorded = RecordedEvents()
        recorded.stopAfterBatches = 3
        let run = folder + "/run"
        let stopped = try TrainWorkflow(model: WorkflowFixtures.spec, options: WorkflowFixtures.trainOptions(out: run))
            .run(data: WorkflowFixtures.mnist, events: recorded.events)
        #expect(stopped.reason == .interrupted)
        #expect(recorded.notes.contains { $0.hasPrefix("interrupted at epoch 2, batch 0") || $0.hasPrefix("interrupted at epoch 1, batch 3") })
        var resume = TrainSessionOptions()
        resume.resume = run
        resume.threads = 1
        let resumed = try TrainWorkflow(model: nil, options: resume).run(data: WorkflowFixtures.mnist)
        #expect(resumed.reason == .completed && resumed.result.epochs == 2)
        let straight = folder + "/straight"
        _ = try TrainWorkflow(model: WorkflowFixtures.spec, options: WorkflowFixtures.trainOptions(out: straight)).run(data: WorkflowFixtures.mnist)
        #expect(try FileIO.read(run + "/last/model.safetensors") == FileIO.read(straight + "/last/model.safetensors"))
    }

    @Test func refusesAModelThatDoesNotFitBeforeWritingARun() throws {
        let folder = try ScratchFolder.make("wf-shape")
        defer { ScratchFolder.remove(folder) }
        let workflow = TrainWorkflow(model: "cifar-cnn", options: WorkflowFixtures.trainOptions(out: folder + "/run"))
        #expect { try workflow.run(data: WorkflowFixtures.mnist) } throws: { "\($0)".contains("32x32x3") }
        #expect(!FileIO.exists(folder + "/run"))
    }

    /// Fine-tuning freezes the first layer bit for bit and records its lineage; an unknown
    /// layer name is the caller's choice (`WorkflowError.rejectedChoice`), found in the checkpoint.
    @Test func fineTuneFreezesAndRecords() throws {
        let (folder, source) = try WorkflowFixtures.trainedRun("wf-finetune")
        defer { ScratchFolder.remove(folder) }
        let options = WorkflowFixtures.trainOptions(out: folder + "/tuned", epochs: 1)
        let (outcome, result) = try FineTuneWorkflow(checkpoint: source, freeze: "1", options: options).run(data: WorkflowFixtures.mnist)
        #expect(outcome.reason == .completed)
        #expect(result.classNames == (0...9).map(String.init))
        #expect(result.fineTune?.source == source + "/best")
        #expect(result.trainableParameters == 7850 && result.nonTrainableParameters == 40)
        let before = try Checkpoint.load(from: source + "/best", threads: 1).0
        let after = try Checkpoint.load(from: folder + "/tuned/last", threads: 1).0
        let kernel = try #require(before.parameters.tensors.first)
        #expect(before.parameters.array(kernel) == after.parameters.array(after.parameters.tensors[0]))
        #expect(FileIO.exists(folder + "/tuned/fine-tune.json"))

        let bad = FineTuneWorkflow(checkpoint: source, freeze: "nonesuch", options: WorkflowFixtures.trainOptions(out: folder + "/bad"))
        #expect { _ = try bad.run(data: WorkflowFixtures.mnist) } throws: { error in
            guard case WorkflowError.rejectedChoice = error else { return false }
            return "\(error)".contains("nonesuch")
        }
    }
}
