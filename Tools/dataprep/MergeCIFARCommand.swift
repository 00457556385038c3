import ArgumentParser
import Cluster
import DataPrep
import Workflows

/// `dataprep merge-cifar`: CIFAR-10 plus one CIFAR-100 superclass as labels 10.., written like `split`.
struct MergeCIFARCommand: DistributedCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge-cifar",
        abstract: "Merge CIFAR-10 with the classes of one CIFAR-100 superclass (appended as labels 10, 11, …).",
        discussion: """
        CIFAR-10 keeps labels 0-9; the superclass's fine classes follow in fine-label order (e.g. \
        non-insect_invertebrates: crab 10, lobster 11, snail 12, spider 13, worm 14). Train and test are merged \
        separately; the merged train split is shuffled with --seed. The output has the same layout as `split` \
        (dataset.json, classes.txt, manifest, train/ and test/ arrays), so `split`, `train` and `augment` read it directly.

        Superclasses (name or index): \(CIFARClassNames.cifar100Coarse.enumerated().map { "\($0.offset) \($0.element)" }.joined(separator: ", ")).

        Examples:
          dataprep merge-cifar --cifar10 cifar-10-binary.tar.gz --cifar100 cifar-100-binary.tar.gz --superclass non-insect_invertebrates --out cifar15
          dataprep merge-cifar --cifar10 cifar-10-batches-bin --cifar100 cifar-100-binary --superclass 13 --classes crab,snail --balance undersample --out cifar12
        """)

    @Option(name: .long, help: "CIFAR-10 binary version: the extracted folder or the official .tar.gz.", completion: .file())
    var cifar10: String

    @Option(name: .long, help: "CIFAR-100 binary version: the extracted folder or the official .tar.gz.", completion: .file())
    var cifar100: String

    @Option(name: .long, help: "CIFAR-100 superclass by name (e.g. non-insect_invertebrates) or index 0-19.")
    var superclass: String

    @Option(name: .long, help: "Only these fine classes of the superclass (comma-separated); default: all five.")
    var classes: String?

    @Option(name: .long, help: "Even out the training split's 10:1 imbalance: undersample (every class down to the smallest) or oversample (repeat images up to the largest).")
    var balance: CIFARMerge.Balance?

    @OptionGroup(title: "Classes") var relabel: ClassMapOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var options: CommonOptions
    @OptionGroup var seeding: SeedOption
    @OptionGroup var strictness: StrictOption

    func validate() throws {
        do {
            var merge = try makeMerge(seed: 0)
            if let map = relabel.map { try merge.relabel(by: ClassMap(parsing: map)) }
        } catch let error as MergeError {
            throw ValidationError(error.description)
        } catch let error as ClassMapError {
            throw ValidationError("--map: \(error)")
        }
    }

    func makeMerge(seed: UInt64) throws -> CIFARMerge {
        try CIFARMerge(cifar10: cifar10, cifar100: cifar100, superclass: superclass,
                       classes: classes.map { $0.split(separator: ",").map(String.init) }, balance: balance, seed: seed,
                       threads: options.threads, command: CommandSupport.commandLine)
    }

    func run() throws {
        let workflow = try workflow(seed: seeding.resolve())
        StagingSignals.install()
        try report(try workflow.run(events: options.events))
    }

    /// Rank 0 resolves and shares the seed; the ranks hash shares of both inputs' records and
    /// rank 0 plans, every rank writes its shard and rank 0 commits (`MergeWorkflow.run(across:)`).
    func run(across cluster: Cluster) throws {
        let workflow = try workflow(seed: seeding.resolve(across: cluster))
        if cluster.isRoot { StagingSignals.install() }
        if let summary = try workflow.run(across: cluster, events: cluster.isRoot ? options.events : .silent) { try report(summary) }
    }

    private func workflow(seed: UInt64) throws -> MergeWorkflow {
        MergeWorkflow(merge: try makeMerge(seed: seed), classMap: try relabel.classMap(), output: try output.output(), threads: options.threads)
    }

    private func report(_ summary: SplitSummary) throws {
        if options.json { try CommandSupport.printJSON(summary) } else { print(SummaryText.render(summary)) }
    }
}
