import ArgumentParser
import DataPrep
import Foundation
import Train

/// `dataprep model …`: work with model specs without training.
struct ModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Inspect model specs and presets.",
        subcommands: [ModelSummaryCommand.self])
}

/// `dataprep model summary SPEC --input HxWxC`, or `model summary RUN/`: the Keras-style layer table.
struct ModelSummaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary",
        abstract: "Print a model's layers, output shapes and parameter counts (total / trainable / non-trainable), like Keras's model.summary().",
        discussion: """
        SPEC is a checkpoint folder (RUN/best, RUN/last) or a run folder (its best checkpoint), whose model, input \
        and frozen layers are shown; a preset (\(ModelPreset.allCases.map(\.rawValue).joined(separator: ", "))); a JSON \
        file; inline JSON; or spec text such as "conv 32 3 same relu, maxpool 2, dropout 0.25, flatten, dense 10 softmax". \
        Layer items: conv F K [KxK] [stride S] [same|valid] [ACT] [l1=X] [l2=X] [init=he|glorot] [frozen]; \
        dense U [ACT] …; maxpool P [stride S] [same]; avgpool P …; dropout R; flatten; batchnorm; relu|sigmoid|tanh|softmax.

        Exit status: 0 printed; 1 the spec does not fit the input; 64 bad usage or a spec that does not parse.
        """)

    @Argument(help: "A checkpoint or run folder, a preset name, a JSON file, inline JSON, or spec text.",
              completion: .list(ModelPreset.allCases.map(\.rawValue)))
    var spec: String

    @Option(name: .long, help: "Input shape HxWxC (e.g. 28x28x1), or a feature count. Defaults to the preset's (or checkpoint's) input.")
    var input: String?

    @Flag(name: .long, help: "Print the summary as JSON.")
    var json = false

    func run() throws {
        let model: ModelSpec
        var shape: TensorShape?
        if FileIO.isDirectory(spec) {
            // A checkpoint or run folder: its own spec (frozen layers included) and input.
            let info = try Checkpoint.loadInfo(from: CheckpointLocation(resolving: spec).directory)
            (model, shape) = (info.model, info.input)
        } else {
            do { model = try ModelSpec.resolve(spec) } catch {
                throw ValidationError("\(error)")
            }
            shape = model.input
        }
        if let input {
            guard let parsed = TensorShape(parsing: input) else { throw ValidationError("--input must look like 28x28x1, got \(input)") }
            shape = parsed
        }
        guard let shape else { throw ValidationError("--input HxWxC is required for a spec that is not a preset") }
        let network = try Network(spec: model, input: shape, seed: 0)
        let summary = ModelSummary(network: network)
        if json { try CommandSupport.printJSON(summary) } else { print(summary.text) }
    }
}
