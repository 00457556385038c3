import Foundation
import Workflows

/// The CLI's side of `WorkflowEvents`: notes on stderr, progress bars when stderr is a
/// terminal, epoch lines on stdout (stderr with `--json`, which keeps stdout for the result),
/// and Ctrl-C turned into "save a checkpoint and stop" once training starts.
extension WorkflowEvents {
    static func command(progress: Bool, json: Bool) -> WorkflowEvents {
        let line = TrainProgressLine(enabled: progress)
        let interrupt = TrainInterruptFlag()
        let train = TrainEvents(
            willTrain: { interrupt.install() },
            shouldStop: { interrupt.isRaised },
            batch: { p, batchSize in
                line.update(epoch: p.epoch, epochs: p.epochs, batch: p.batch, batches: p.batches, loss: p.loss,
                            accuracy: p.accuracy, batchSize: batchSize)
            },
            clearBatch: { line.clear() },
            epoch: { json ? CommandSupport.note($0) : CommandSupport.printLine($0) })
        return WorkflowEvents(note: CommandSupport.note, progress: { ProgressBar(label: $0, enabled: progress) }, train: train)
    }
}

extension ProgressBar: ProgressSink {}
