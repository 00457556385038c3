import ArgumentParser
import Cluster
import DataPrep
import Foundation
import Train
import Workflows

/// `dataprep fine-tune CHECKPOINT DATA --freeze N --out RUN/`: continue training a checkpoint on
/// new data, growing its head for new classes and freezing its first layers.
struct FineTuneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fine-tune",
        abstract: "Fine-tune a checkpoint on a dataset: add classes to its head, freeze layers, then train as `train` does.",
        discussion: """
        CHECKPOINT is a checkpoint folder (RUN/best, RUN/last) or a run folder (its best checkpoint). DATA's classes \
        must begin with the checkpoint's, in the same order (merge-cifar writes CIFAR-10's ten names, then the new \
        ones); further classes extend the head: the last dense layer grows from K to K' outputs, the old classes' \
        kernel columns and biases are copied bit for bit (their logits are unchanged before the first step) and the \
        new ones start from the layer's initializer (bias 0), seeded by --seed. --reinit-head starts the whole head \
        over instead.

        --freeze N freezes the first N layers as Keras's model.layers[:N] does: every row of `dataprep model summary` \
        counts, pooling, dropout and flatten included. --freeze NAME,NAME freezes layers by their summary names \
        (conv2d, conv2d_1, batch_normalization, …). Frozen weights stay bit-identical, the optimizer skips them, and a \
        frozen BatchNorm normalizes with its moving statistics (Keras's trainable = False). The summary, with \
        trainable and non-trainable totals, is printed before training.

        Inputs are normalized as the checkpoint was trained. The optimizer and training state start fresh; every \
        `train` option applies. RUN/ has the layout of `train` (last/, best/, history, curves.png, report.html) plus \
        fine-tune.json (source checkpoint, added classes, frozen layers). Its checkpoints are ordinary K'-class \
        checkpoints: `evaluate` reads them, and `--resume RUN/` (here or in `train`) continues the run.

        Examples:
          dataprep fine-tune cifar10-run cifar15 --freeze 5 --epochs 5 --out cifar15-run
          dataprep fine-tune cifar10-run/best cifar15 --freeze conv2d,conv2d_1 --lr 0.0001 --out cifar15-run

        Exit status: 0 trained; 1 data, model or checkpoint error; 64 bad usage (including an unknown layer name); \
        130 interrupted (checkpoint saved).
        """)

    @Argument(help: "The checkpoint to start from: a checkpoint folder or a run folder (uses RUN/best).", completion: .directory)
    var checkpoint: String

    @Argument(help: "The dataset: a split output (e.g. from merge-cifar), MNIST/CIFAR folder or archive, or an image folder.",
              completion: .file())
    var data: String

    @Option(name: .long, help: "Freeze the first N layers (Keras's model.layers[:N]) or the named layers (comma-separated, as `model summary` prints them).")
    var freeze: String?

    @Flag(name: .long, help: "Reinitialize the whole head (last dense layer) instead of keeping the old classes' weights.")
    var reinitHead = false

    @OptionGroup var options: TrainOptions

    func validate() throws {
        if let freeze {
            do { _ = try FreezeSelection(parsing: freeze) } catch { throw ValidationError("\(error)") }
        }
    }

    func run() throws {
        let events = options.common.events
        let workflow = FineTuneWorkflow(checkpoint: checkpoint, freeze: freeze, reinitializeHead: reinitHead,
                                        options: try options.sessionOptions())
        let start = try workflow.prepare(data: data, events: events)
        let summary = start.summary
        if options.common.json { CommandSupport.note(summary.text) } else { print(summary.text) }
        let (outcome, result) = try start.fit()
        try CommandSupport.finish(outcome, result: result, json: options.common.json)
    }
}

extension FineTuneCommand: DistributedCommand {
    /// Data-parallel fine-tuning: every rank computes its share of each step (see `ClusterTraining`).
    func run(across cluster: Cluster) throws {
        let workflow = FineTuneWorkflow(checkpoint: checkpoint, freeze: freeze, reinitializeHead: reinitHead,
                                        options: try options.sessionOptions(across: cluster))
        let json = options.common.json
        let finished = try workflow.run(across: cluster, data: data, events: options.common.events) { summary in
            if json { CommandSupport.note(summary.text) } else { print(summary.text) }
        }
        if let (outcome, result) = finished { try CommandSupport.finish(outcome, result: result, json: json) }
    }
}
