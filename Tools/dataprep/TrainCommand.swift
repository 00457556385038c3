import ArgumentParser
import Cluster
import DataPrep
import Foundation
import Train
import Workflows

/// `dataprep train DATA --model SPEC --out RUN/`: train a model, validating every epoch,
/// saving best/last checkpoints and the history.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a model on a dataset (any input `info` reads, including `split` outputs), with checkpoints and history.",
        discussion: """
        MODEL is a preset (\(ModelPreset.allCases.map(\.rawValue).joined(separator: ", "))), a JSON file, inline JSON or spec \
        text (see `dataprep model summary --help`). The loss follows the last layer: softmax → sparse categorical \
        cross-entropy, one sigmoid unit → binary cross-entropy. Inputs use the normalization stored by `split` when \
        there is one, else x/255.

        Validation runs after every epoch and chooses RUN/best (and early stopping). --val-split takes a split name, \
        a fraction of the training split to hold out, or none. By default the data's `val`/`validation` split is \
        used; without one, 0.1 of the training split is held out, stratified by class and drawn from the run's \
        seed, so the same seed holds out the same samples (the choice is printed and saved in checkpoint.json, and \
        --resume validates on the same samples). The test split is used only when named (--val-split test), with \
        a warning: choosing checkpoints on test makes test results optimistic. Loss and val_loss include the L1/L2 \
        penalty, as Keras reports them; history.csv/json also hold both without it (data_loss, val_data_loss) and \
        the penalty.

        Augmentation flags (as `dataprep augment preview`) apply to the training split only, on the fly: sample i \
        of epoch e always gets the same pixels for a seed, whatever the thread count. The pipeline is saved as \
        RUN/augmentation.json and reused by --resume.

        RUN/ must be absent or empty; an earlier run there is refused unless --overwrite (or --resume RUN/), and \
        a folder that is not a run is always refused. It receives last/ and best/ checkpoints (model.safetensors + \
        checkpoint.json + optimizer.safetensors, each staged in a hidden folder and renamed into place) and \
        history.csv / history.json. Ctrl-C finishes the current step, saves RUN/last and exits 130; \
        `--resume RUN/` continues exactly where it stopped from the newest complete checkpoint (last/, or best/ \
        when a save stopped before last/; pass the same DATA; --epochs may extend the run). A loss that becomes NaN \
        or infinite stops the run at that step (exit 1), keeping the checkpoints of the last finished epoch.

        Exit status: 0 trained (all epochs or early stop); 1 data, model or checkpoint error, diverged loss, refused \
        --out; 64 bad usage; 130 interrupted (checkpoint saved).
        """)

    @Argument(help: "The dataset: a split output, MNIST/CIFAR folder or archive, or an image folder (with --resize).",
              completion: .file())
    var data: String

    @Option(name: .long, help: "Model: preset name, JSON file, inline JSON or spec text.",
            completion: .list(ModelPreset.allCases.map(\.rawValue)))
    var model: String?

    @OptionGroup var options: TrainOptions

    func validate() throws {
        if options.resume == nil && model == nil { throw ValidationError("--model is required (or --resume RUN/)") }
    }

    func run() throws {
        let events = options.common.events
        let outcome = try TrainWorkflow(model: model, options: options.sessionOptions()).run(data: data, events: events)
        try CommandSupport.finish(outcome, result: outcome.result, json: options.common.json)
    }
}

extension TrainCommand: DistributedCommand {
    /// Data-parallel training: every rank computes its share of each step (see `ClusterTraining`).
    func run(across cluster: Cluster) throws {
        let workflow = TrainWorkflow(model: model, options: try options.sessionOptions(across: cluster))
        if let outcome = try workflow.run(across: cluster, data: data, events: options.common.events) {
            try CommandSupport.finish(outcome, result: outcome.result, json: options.common.json)
        }
    }
}
