import ArgumentParser

/// The `dataprep` root command: lists the subcommands; each lives in its own file.
@main
struct DataPrepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dataprep",
        abstract: "Decode, inspect and prepare image-classification datasets (MNIST, CIFAR, photo folders).",
        discussion: """
        Inputs are recognised by their contents: a folder with MNIST/Fashion-MNIST IDX files (raw or .gz), \
        an extracted CIFAR-10/100 binary folder or the official .tar.gz, a folder or .zip of JPEG/PNG images \
        labelled Kaggle-style (cat.123.jpg) or one folder per class, or a single IDX, CIFAR batch, JPEG or PNG file.

        Shell completion: `dataprep --generate-completion-script bash|zsh|fish` prints a script that completes \
        subcommands, flags, paths and model presets (e.g. `dataprep --generate-completion-script bash > \
        /etc/bash_completion.d/dataprep`).
        """,
        version: "0.1.0",
        subcommands: [InfoCommand.self, SplitCommand.self, MergeCIFARCommand.self, TrainCommand.self, FineTuneCommand.self, EvaluateCommand.self, ExplainCommand.self, ModelCommand.self, AugmentCommand.self, DownloadCommand.self])

}
