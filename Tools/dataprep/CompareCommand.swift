import ArgumentParser
import Workflows

/// `dataprep compare RUN… --out DIR`: the sweep's comparison table for runs that already exist.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Rank existing run folders in one table (summary.csv, summary.json), as `sweep` does.",
        discussion: """
        Each RUN is a `train`, `fine-tune` or `sweep` run folder. Its best epoch is the one with the best --metric \
        (lowest loss, highest accuracy); the row gives its parameter count (from the checkpoint), loss, accuracy, \
        val_loss and val_accuracy at that epoch, the test figures of its one eval-*-test folder (what `evaluate RUN \
        DATA` writes) or of the sweep that made it, and its wall time (the sweep's, else the epochs' seconds). \
        Runs a sweep trained with several seeds are averaged into one row (mean ± std). DIR must be absent, empty, \
        or an earlier comparison, whose files are replaced.

        Exit status: 0 written; 1 a run or DIR that cannot be read or written; 64 bad usage.
        """)

    @Argument(help: "Run folders to compare.", completion: .directory)
    var runs: [String]

    @Option(name: .long, help: "The history column that picks each run's best epoch and ranks the runs: \(EpochMetric.names.joined(separator: ", ")).")
    var metric = "val_loss"

    @Option(name: .long, help: ArgumentHelp("Output folder for summary.csv and summary.json.", valueName: "dir"), completion: .directory)
    var out: String

    @Flag(name: .long, help: "Print the table as JSON on stdout.")
    var json = false

    func run() throws {
        var workflow = CompareWorkflow(runs: runs, out: out)
        workflow.metric = metric
        let table = try workflow.run()
        if json {
            try CommandSupport.printJSON(table.summary())
        } else {
            print(ComparisonText.render(table))
        }
    }
}
