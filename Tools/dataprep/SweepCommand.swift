import ArgumentParser
import Cluster
import DataPrep
import Foundation
import Train
import Workflows

/// `dataprep sweep DATA --model SPEC --grid NAME=V1,V2 … --out DIR`: train every variant of a
/// grid as its own run folder and compare them.
struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Train a grid of variants (train options or model-spec placeholders) and rank them in one table.",
        discussion: """
        --grid NAME=V1,V2,… sweeps one setting; several --grid flags form the cartesian product (first flag \
        slowest). NAME is any `train` option without its dashes (lr, l1, l2, batch-size, optimizer, epochs, \
        rotation-range, zoom-range, horizontal-flip=true,false, …) or a {NAME} placeholder in the --model spec text \
        ("conv {filters} {kernel} same relu, …"); --grid model=SPEC1;SPEC2 lists whole specs (depth). Values that \
        hold commas are separated by ';' (--grid zoom-range=0.8,1.2;0.9,1.1). --variants FILE adds a JSON list of \
        objects NAME → value, one more factor of the product. --repeat K trains each variant with seeds SEED, \
        SEED+1, … and the summary gives mean ± std (sample standard deviation). Every other option is a `train` \
        option shared by all variants (--epochs 5 --batch-size 64 …). Unknown names, placeholders left without a \
        value and values that do not parse are reported, naming the variant, before anything trains.

        Each variant is an ordinary run folder DIR/runs/NAME=VALUE,… (evaluate, explain and fine-tune read it; \
        its notes and epochs go to DIR/logs/NAME.log). Variants train concurrently, as many as --threads cores \
        allow, each with its share of them: the weights do not depend on how many run at once. When DATA has a \
        test split, each finished variant is evaluated on it (RUN/eval-DATA-test). The sweep's definition is \
        recorded in DIR/sweep.json first; Ctrl-C stops every running variant at its next step with a checkpoint \
        (exit 130), and the same command with --resume skips finished variants and resumes the others exactly. \
        DIR/summary.csv and summary.json rank the variants by --metric at each run's best epoch: parameters, \
        parameter count, best epoch, loss, accuracy, val_loss, val_accuracy, test loss and accuracy, wall seconds.

        Under mpirun/srun the variants are dealt to the ranks in turn, each rank training its own with its own \
        --threads; DIR must be on a filesystem every rank sees, rank 0 prints and writes the summary, and every \
        rank's lines go to DIR/sweep.log. The runs are the single process's.

        Exit status: 0 done (a variant whose loss diverged is listed under "failed" in summary.json); 1 data, \
        model or refused DIR; 64 bad usage or a bad grid; 130 interrupted.
        """)

    @Argument(help: "The dataset, as `train` reads it.", completion: .file())
    var data: String

    @Option(name: .long, help: "Model: preset name, JSON file, inline JSON or spec text, with {NAME} placeholders filled by --grid.")
    var model: String?

    @Option(name: .customLong("grid"), help: ArgumentHelp("A setting to sweep: NAME=V1,V2,… (repeatable: the product).", valueName: "NAME=V1,V2"))
    var grids: [String] = []

    @Option(name: .long, help: ArgumentHelp("A JSON list of objects NAME → value, each a variant (times the --grid product).", valueName: "file"),
            completion: .file(extensions: ["json"]))
    var variants: String?

    @Option(name: .customLong("repeat"), parsing: .unconditional, help: "Seeds per variant (seed, seed+1, …); the summary gives mean ± std.")
    var repeats = 1

    @Option(name: .long, help: "The history column that picks each run's best epoch and ranks the variants: \(EpochMetric.names.joined(separator: ", ")).")
    var metric = "val_loss"

    @Option(name: .long, help: ArgumentHelp("The sweep folder (absent or empty; with --resume, the sweep to continue).", valueName: "dir"),
            completion: .directory)
    var out: String

    @Flag(name: .long, help: "Continue the sweep recorded in --out: finished variants are skipped, interrupted ones resumed.")
    var resume = false

    @Option(name: .long, parsing: .unconditional, help: "Variants trained at once (default: as many as --threads, each with the rest of the cores).")
    var concurrent: Int?

    @OptionGroup var common: CommonOptions
    @OptionGroup var seeding: SeedOption

    @Argument(parsing: .allUnrecognized, help: ArgumentHelp("Train options every variant shares (see `dataprep train --help`).", valueName: "train options"))
    var trainArguments: [String] = []

    func validate() throws {
        if grids.isEmpty && variants == nil && repeats < 2 { throw ValidationError("nothing to sweep: give --grid NAME=V1,V2, --variants FILE or --repeat K") }
        if repeats < 1 { throw ValidationError("--repeat must be at least 1, got \(repeats)") }
        if let concurrent, concurrent < 1 { throw ValidationError("--concurrent must be at least 1, got \(concurrent)") }
        for word in trainArguments where ["--overwrite", "--resume", "--out"].contains(where: { word == $0 || word.hasPrefix($0 + "=") }) {
            throw ValidationError("\(word) is not a sweep option: the sweep writes DIR/runs/…, and --resume continues the whole sweep")
        }
    }

    func run() throws {
        let workflow = try makeWorkflow(seed: seeding.resolve(repeating: "this sweep exactly"))
        try finish(workflow.run(events: events))
    }

    private var events: WorkflowEvents { .command(progress: false, json: common.json) }

    /// The workflow for this command line with `seed` (chosen once, by rank 0 in an MPI job).
    private func makeWorkflow(seed: UInt64) throws -> SweepWorkflow {
        let fileVariants = try variants.map { try SweepGrid.variants(fromJSON: FileIO.read($0), path: $0) } ?? []
        let grid = try SweepGrid(grids: grids, variants: fileVariants)
        let plan = try SweepPlan(model: model, grid: grid, repeats: repeats, seed: seed, trainOptions: sharedOptions)
        let definition = SweepDefinition(data: data, model: model, grid: grid, repeats: repeats, seed: seed,
                                         trainArguments: trainArguments, metric: metric)
        var workflow = SweepWorkflow(definition: definition, plan: plan, out: out)
        (workflow.resume, workflow.threads, workflow.concurrency) = (resume, common.threads, concurrent)
        return workflow
    }

    /// Prints the ranked table (or its JSON) and the failed variants; 130 when interrupted.
    private func finish(_ outcome: SweepWorkflow.Outcome) throws {
        if outcome.interrupted { throw ExitCode(130) }
        guard let table = outcome.table else { return }
        for (name, error) in outcome.failed.sorted(by: { $0.key < $1.key }) { CommandSupport.note("failed \(name): \(error)") }
        if common.json {
            try CommandSupport.printJSON(table.summary(failed: outcome.failed))
        } else {
            print(ComparisonText.render(table))
        }
    }

    /// A variant's train options: the shared flags plus its own settings, parsed by `train`'s
    /// own options (so every train flag works, checked as `train` checks it). A `true`/`false`
    /// value of a flag (`horizontal-flip=true,false`) gives or omits it.
    func sharedOptions(_ settings: SweepSettings) throws -> TrainSessionOptions {
        var words = trainArguments
        for setting in settings.values {
            let flag = "--" + setting.name
            if setting.value == "true" { words.append(flag) } else if setting.value != "false" { words += [flag, setting.value] }
        }
        // The seed, output and threads are the sweep's to set per variant; these only satisfy `train`'s checks.
        words += ["--out", "unused", "--seed", "0"]
        do {
            return try TrainOptions.parse(words).sessionOptions()
        } catch {
            let message = TrainOptions.message(for: error)
            if let name = settings.values.first?.name, settings.values.count == 1, message.contains("Unknown option '--\(name)'") {
                throw SettingError(message: "no train option --\(name) and no {\(name)} placeholder in the model spec")
            }
            throw SettingError(message: message)
        }
    }

    private struct SettingError: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }
}

extension SweepCommand: DistributedCommand {
    /// The variants dealt to the ranks (`SweepWorkflow.run(across:)`); rank 0 prints the table.
    func run(across cluster: Cluster) throws {
        let seed = try seeding.resolve(across: cluster)
        // A bad grid is the same error on every rank: agreed, so rank 0 alone reports it.
        let workflow = try cluster.agree { try makeWorkflow(seed: seed) }
        if let outcome = try workflow.run(across: cluster, events: events) { try finish(outcome) }
    }
}
