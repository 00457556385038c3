import ArgumentParser
import Cluster
import DataPrep
import Workflows

/// `dataprep split`: a stratified, seeded, leak-checked train/val/test split written as arrays.
struct SplitCommand: DistributedCommand {
    static let configuration = CommandConfiguration(
        commandName: "split",
        abstract: "Split a dataset into train/val/test per class, reproducibly, and write it as NumPy arrays (and more).",
        discussion: """
        Every class is split in the same proportions. Samples are shuffled with --seed; the same inputs and seed give \
        byte-identical outputs on any machine and thread count. Identical images in two splits are reported \
        (--dedupe keeps one copy). The output folder holds dataset.json, classes.txt, manifest.csv/json \
        (source, label, class, split and SHA-256 of every sample) and SPLIT/x.npy (uint8) + SPLIT/y.npy. \
        --normalize records the normalization in dataset.json (train and the other readers apply it); \
        --format npy-float32 writes the normalised float32 arrays as npy-float32/SPLIT/x.npy + y.npy.

        Examples:
          dataprep split dogs-vs-cats/train --per-class 1000,500,500 --resize 80x80 --grayscale --seed 1 --out dogs80
          dataprep split mnist/ --ratios 0.8,0.1,0.1 --normalize standard --format idx,png,npy-float32 --out mnist-split
        """)

    @Argument(help: "Any source `dataprep info` reads: IDX folder, CIFAR folder or .tar.gz, image folder or .zip, a split output.", completion: .file())
    var source: String

    @Option(name: .long, help: "Samples per class for each split, e.g. 1000,500,500.")
    var perClass: String?

    @Option(name: .long, help: "Fraction of each class for each split, adding up to 1, e.g. 0.8,0.1,0.1 (largest-remainder rounding).")
    var ratios: String?

    @Option(name: .long, help: "Split names (default train,val,test for three splits, train,test for two).")
    var names: String?

    @Flag(name: .long, help: "Let a class with too few samples give what it has (scaled down), instead of failing.")
    var allowShort = false

    @Option(name: .long, help: "Draw only from these source splits (comma-separated, e.g. train); default: all pooled.")
    var from: String?

    @Flag(name: .long, help: "Keep one copy of each set of identical images (otherwise they are only reported).")
    var dedupe = false

    @Flag(name: .long, help: "Accept a source where only one class has samples (otherwise an error: usually a misread folder layout).")
    var allowSingleClass = false

    @Option(name: .long, help: "Resize every image to WxH (required for photo folders whose sizes differ).")
    var resize: ImageSize?

    @Option(name: .long, help: "Resize filter: area (antialiased, default), bilinear or nearest.")
    var filter: ResizeFilter = .area

    @Option(name: .long, help: "Keep the aspect ratio when resizing: stretch (default), crop (centre) or pad (black borders).")
    var aspect: AspectChoice = .stretch

    @Option(name: .long, help: "Record how train turns bytes into inputs: unit (x/255) or standard ((x/255 - mean)/std, per-channel mean/std fitted on the train split only). Stored in dataset.json; x.npy stays uint8. --format npy-float32 also writes the floats.")
    var normalize: SplitJob.NormalizeMode?

    @OptionGroup(title: "Classes") var relabel: ClassMapOptions
    @OptionGroup(title: "Decoding photos") var decoding: DecodeOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var options: CommonOptions
    @OptionGroup var strictness: StrictOption
    @OptionGroup var seeding: SeedOption

    func validate() throws {
        guard (perClass == nil) != (ratios == nil) else { throw ValidationError("give exactly one of --per-class or --ratios") }
        _ = try spec()
    }

    func spec() throws -> SplitSpec {
        let nameList = names.map { $0.split(separator: ",").map(String.init) }
        do {
            if let perClass {
                let counts = try perClass.split(separator: ",").map { part -> Int in
                    guard let n = Int(part.trimmingCharacters(in: .whitespaces)) else { throw ValidationError("--per-class: '\(part)' is not a whole number") }
                    return n
                }
                return try SplitSpec(sizes: .perClass(counts), names: nameList, allowShort: allowShort)
            }
            let values = try (ratios ?? "").split(separator: ",").map { part -> Double in
                guard let r = Double(part.trimmingCharacters(in: .whitespaces)) else { throw ValidationError("--ratios: '\(part)' is not a number") }
                return r
            }
            return try SplitSpec(sizes: .ratios(values), names: nameList, allowShort: allowShort)
        } catch let error as SplitError {
            throw ValidationError(error.description)
        }
    }

    func run() throws {
        StagingSignals.install()
        let summary = try SplitWorkflow(job: try job(seed: seeding.resolve()), output: output.output()).run(events: options.events)
        try report(summary)
    }

    /// Rank 0 resolves the seed (announcing a fresh one) and shares it, so every rank holds
    /// the same job; the ranks decode shares of the photos, rank 0 plans, every rank writes its shard.
    func run(across cluster: Cluster) throws {
        let seed = try seeding.resolve(across: cluster)
        if cluster.isRoot { StagingSignals.install() }
        let workflow = SplitWorkflow(job: try job(seed: seed), output: try output.output())
        if let summary = try workflow.run(across: cluster, events: cluster.isRoot ? options.events : .silent) { try report(summary) }
    }

    private func job(seed: UInt64) throws -> SplitJob {
        var job = SplitJob(
            source: source, spec: try spec(), seed: seed, fromSplits: from.map { $0.split(separator: ",").map(String.init) },
            load: LoadedDataset.Options(size: resize.map { ($0.width, $0.height) }, color: decoding.color, filter: filter,
                                        aspect: aspect.mode, strict: strictness.strict, threads: options.threads, decode: decoding.decode),
            dedupe: dedupe, normalize: normalize, command: CommandSupport.commandLine, classMap: try relabel.classMap())
        job.allowSingleClass = allowSingleClass
        return job
    }

    private func report(_ summary: SplitSummary) throws {
        if options.json { try CommandSupport.printJSON(summary) } else { print(SummaryText.render(summary)) }
    }
}

/// `--aspect` choices.
enum AspectChoice: String, ExpressibleByArgument, CaseIterable {
    case stretch, crop, pad
    var mode: AspectMode {
        switch self { case .stretch: return .stretch; case .crop: return .crop; case .pad: return .pad(value: 0) }
    }
}

import Foundation
