import ArgumentParser
import Augment
import DataPrep
import Train

/// The options `train` and `fine-tune` share: where the run goes, the optimizer and schedule,
/// splits, seed, threads, resume, augmentation and output. Each command adds what starts its
/// model (`--model`, or a checkpoint and `--freeze`).
struct TrainOptions: ParsableArguments {
    @Option(name: .long, help: "Output folder for checkpoints and history (default with --resume: the resumed folder).")
    var out: String?

    @Option(name: .long, help: "Epochs to train (with --resume: the new total).")
    var epochs: Int?

    @Option(name: .long, help: "Samples per step.")
    var batchSize: Int = 32

    @Option(name: .long, help: "Optimizer: \(OptimizerConfig.Kind.allCases.map(\.rawValue).joined(separator: ", ")).")
    var optimizer: OptimizerConfig.Kind = .adam

    @Option(name: .long, help: "Learning rate (default: 0.001 for adam/rmsprop, 0.01 for sgd).")
    var lr: Float?

    @Option(name: .long, help: "SGD momentum.")
    var momentum: Float = 0

    @Flag(name: .long, help: "Nesterov momentum (SGD).")
    var nesterov = false

    @Option(name: .long, help: "L1 kernel regularization for every conv/dense layer without its own (Keras semantics).")
    var l1: Float?

    @Option(name: .long, help: "L2 kernel regularization for every conv/dense layer without its own (Keras semantics: l2 * sum w^2).")
    var l2: Float?

    @Option(name: .long, help: "Split to train on.")
    var trainSplit: String = "train"

    @Option(name: .long, help: "Split to validate on (default: val, else test; 'none' to skip).")
    var valSplit: String?

    @Option(name: .long, help: "Stop after this many epochs without a lower validation loss.")
    var patience: Int?

    @Option(name: .long, help: "Learning-rate schedule: constant, cosine, or step:EVERY:FACTOR (e.g. step:10:0.5).")
    var lrSchedule: String = "constant"

    @Option(name: .long, help: "Seed for initialisation, shuffling and dropout (printed when omitted).")
    var seed: UInt64?

    @Option(name: .long, help: "Threads (default: all cores). Results are bit-identical for any value.")
    var threads: Int = Parallel.defaultThreads

    @Option(name: .long, help: "Continue the run saved in RUN/ (its last checkpoint).")
    var resume: String?

    @Option(name: .long, help: "Resize images of a photo folder to WxH while loading (required for folders of mixed sizes).")
    var resize: String?

    @Flag(name: .long, help: "Print the result as JSON on stdout; epoch lines go to stderr.")
    var json = false

    @OptionGroup(title: "Decoding photos")
    var decoding: DecodeOptions

    @OptionGroup(title: "Augmentation (training split only; Keras ImageDataGenerator names)")
    var augmentation: AugmentationOptions

    @Flag(name: .long, help: "Never draw the progress line.")
    var noProgress = false

    func validate() throws {
        if let epochs, epochs < 1 { throw ValidationError("--epochs must be at least 1, got \(epochs)") }
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1, got \(batchSize)") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1, got \(threads)") }
        if let lr, !(lr > 0) { throw ValidationError("--lr must be positive, got \(lr)") }
        if let patience, patience < 1 { throw ValidationError("--patience must be at least 1, got \(patience)") }
        if resume == nil && out == nil { throw ValidationError("--out RUN/ is required (or --resume RUN/)") }
        if nesterov && momentum <= 0 { throw ValidationError("--nesterov needs --momentum > 0") }
        if momentum < 0 || momentum >= 1 { throw ValidationError("--momentum must be in [0, 1), got \(momentum)") }
        do { _ = try LearningRateSchedule(parsing: lrSchedule) } catch { throw ValidationError("\(error)") }
        if let resize, TrainCommand.parseSize(resize) == nil { throw ValidationError("--resize must look like 80x80, got \(resize)") }
    }

    /// The `--resize` size, parsed (validated already).
    var resizeSize: (width: Int, height: Int)? { resize.flatMap(TrainCommand.parseSize) }

    /// The run's numbers for a new run: optimizer, schedule, epochs (default 10), patience, seed, loss.
    func trainingConfig(seed: UInt64, loss: Loss) throws -> TrainingConfig {
        let optimizerConfig = OptimizerConfig(kind: optimizer, learningRate: lr, momentum: momentum, nesterov: nesterov)
        return TrainingConfig(epochs: epochs ?? 10, batchSize: batchSize, optimizer: optimizerConfig,
                              schedule: try LearningRateSchedule(parsing: lrSchedule), patience: patience, seed: seed, loss: loss)
    }
}
