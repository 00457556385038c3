import ArgumentParser
import DataPrep
import Foundation
import Train

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
        there is one, else x/255. Validation runs after every epoch on --val-split (default: the `val` split, else `test`).

        Augmentation flags (as `dataprep augment preview`) apply to the training split only, on the fly: sample i \
        of epoch e always gets the same pixels for a seed, whatever the thread count. The pipeline is saved as \
        RUN/augmentation.json and reused by --resume.

        RUN/ receives last/ and best/ checkpoints (model.safetensors + checkpoint.json + optimizer.safetensors) and \
        history.csv / history.json. Ctrl-C finishes the current step, saves RUN/last and exits 130; \
        `--resume RUN/` continues exactly where it stopped (pass the same DATA; --epochs may extend the run).

        Exit status: 0 trained (all epochs or early stop); 1 data, model or checkpoint error; 64 bad usage; 130 interrupted (checkpoint saved).
        """)

    @Argument(help: "The dataset: a split output, MNIST/CIFAR folder or archive, or an image folder (with --resize).")
    var data: String

    @Option(name: .long, help: "Model: preset name, JSON file, inline JSON or spec text.")
    var model: String?

    @OptionGroup var options: TrainOptions

    func validate() throws {
        if options.resume == nil && model == nil { throw ValidationError("--model is required (or --resume RUN/)") }
    }

    static func parseSize(_ text: String) -> (width: Int, height: Int)? {
        let parts = text.lowercased().split(separator: "x").compactMap { Int($0) }
        guard parts.count == 2, parts.allSatisfy({ $0 > 0 }) else { return nil }
        return (parts[0], parts[1])
    }

    func run() throws {
        try TrainSession.exitingOnLibraryErrors { try train() }
    }

    private func train() throws {
        let session = TrainSession(options: options)
        let data = try session.loadData(self.data)
        let trainer: Trainer
        let run: TrainingRun
        if let resume = options.resume {
            (trainer, run) = try session.resumed(from: resume, trainSet: data.train)
        } else {
            (trainer, run) = try newRun(data.loaded, trainSet: data.train)
        }
        let (result, reason) = try session.fit(trainer, run: run, trainSet: data.train, validationSet: data.validation,
                                               validationName: data.validationName)
        if options.json {
            try CommandSupport.printJSON(result)
        } else if reason != .interrupted {
            print(TrainSession.describe(result, reason: reason, run: run))
        }
        if reason == .interrupted { throw ExitCode(130) }
    }

    /// A fresh network from --model, its trainer and the run folder.
    private func newRun(_ loaded: LoadedDataset, trainSet: ImageDataset) throws -> (Trainer, TrainingRun) {
        let spec = try ModelSpec.resolve(model!).withDefaultRegularizers(l1: options.l1, l2: options.l2)
        let input = TensorShape(height: trainSet.height, width: trainSet.width, channels: trainSet.channels)
        if let declared = spec.input, declared.dimensions != input.dimensions && !declared.isFlat {
            throw TrainError.incompatibleData(reason: "model \(spec.name ?? "spec") expects \(declared) inputs, the data is \(input) (use --resize or another model)")
        }
        let seed = options.seed ?? TrainData.freshSeed()
        let network = try Network(spec: spec, input: input, seed: seed, threads: options.threads)
        let loss = try TrainData.loss(for: network)
        try TrainData.check(trainSet, fits: network, classNames: trainSet.classNames)
        let trainer = try Trainer(network: network, config: try options.trainingConfig(seed: seed, loss: loss))
        let run = try TrainingRun(directory: options.out!, classNames: trainSet.classNames, normalization: loaded.normalization ?? .unit)
        return (trainer, run)
    }
}
