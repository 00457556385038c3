import DataPrep
import Foundation
import TestSupport
import Train
import Workflows

/// Shared inputs of the workflow tests: the 20+10-sample MNIST fixture, a tiny CNN, scratch
/// folders, and events that record what a workflow said.
enum WorkflowFixtures {
    static let mnist = TestPaths.fixture("idx/mnist")
    static let spec = "conv 4 3 same relu, maxpool 2, flatten, dense 10 softmax"

    /// Options of a short, seeded run into `out`.
    static func trainOptions(out: String, epochs: Int = 2, seed: UInt64 = 5) -> TrainSessionOptions {
        var options = TrainSessionOptions()
        options.out = out
        options.epochs = epochs
        options.batchSize = 8
        options.seed = seed
        options.threads = 2
        return options
    }

    /// A finished 2-epoch run of `spec` on the fixture, in a fresh scratch folder.
    static func trainedRun(_ label: String) throws -> (folder: String, run: String) {
        let folder = try ScratchFolder.make(label)
        let run = folder + "/run"
        _ = try TrainWorkflow(model: spec, options: trainOptions(out: run)).run(data: mnist)
        return (folder, run)
    }
}

/// Collects the notes and epoch lines a workflow sends, and can ask training to stop.
final class RecordedEvents: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var notes: [String] = []
    private(set) var epochs: [String] = []
    /// Stop once this many batches have run (nil: never).
    var stopAfterBatches: Int?
    private var batches = 0

    var events: WorkflowEvents {
        WorkflowEvents(note: { [self] line in lock.lock(); notes.append(line); lock.unlock() },
                       train: TrainEvents(shouldStop: { [self] in stopAfterBatches.map { batches >= $0 } ?? false },
                                          batch: { [self] _, _ in batches += 1 },
                                          epoch: { [self] line in epochs.append(line) }))
    }
}
