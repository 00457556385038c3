import ArgumentParser
import Augment
import DataPrep
import Foundation
import Workflows

/// `dataprep augment ...`: augmentation tools (for now `preview`).
struct AugmentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "augment",
        abstract: "See what an augmentation pipeline does to a dataset.",
        subcommands: [AugmentPreviewCommand.self])
}

/// `dataprep augment preview SOURCE --out grid.png`: a PNG grid of originals and augmented
/// versions, plus `grid.json` with every tile's applied parameters.
struct AugmentPreviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "preview",
        abstract: "Write a PNG grid: one row per sample, the original first, then augmented versions, with their parameters.",
        discussion: """
        Variant v of a sample is exactly what training with the same --seed feeds in epoch v. Samples are spread \
        evenly over the split (or chosen with --indices). Beside the PNG, a JSON sidecar (grid.png -> grid.json) \
        lists each tile's position and applied parameters. The same seed and flags give byte-identical files.

        Exit status: 0 written; 1 the source or --pipeline file could not be read; 64 bad usage.
        """)

    @Argument(help: "A dataset: IDX folder, CIFAR folder/archive, image folder or zip (needs --resize), or a `dataprep split` output.", completion: .file())
    var source: String

    @Option(name: .shortAndLong, help: ArgumentHelp("The PNG to write; the sidecar goes beside it with a .json extension.", valueName: "grid.png"), completion: .file(extensions: ["png"]))
    var out: String

    @Option(help: "Rows: samples shown, spread evenly over the split.")
    var samples: Int = 4

    @Option(help: "Augmented tiles per row.")
    var variants: Int = 8

    @Option(help: ArgumentHelp("Sample indices to show instead of evenly spread ones, comma-separated.", valueName: "I,J,..."))
    var indices: String?

    @Option(help: "The split to take samples from (default: train, else the first).")
    var split: String?

    @OptionGroup var loading: PhotoLoadingOptions<PreviewLoadingText>

    @Flag(help: "Leave out the caption strips (the sidecar still lists the parameters).")
    var noCaptions = false

    @OptionGroup(title: "Augmentation")
    var augmentation: AugmentationOptions

    @OptionGroup var common: CommonOptions
    @OptionGroup var seeding: SeedOption

    func validate() throws {
        guard (1...64).contains(samples) else { throw ValidationError("--samples must be in 1...64, got \(samples)") }
        guard (1...32).contains(variants) else { throw ValidationError("--variants must be in 1...32, got \(variants)") }
        try loading.validateResize()
        if let indices, parseIndices(indices) == nil { throw ValidationError("--indices must be comma-separated non-negative integers, got '\(indices)'") }
        guard out.lowercased().hasSuffix(".png") else { throw ValidationError("--out must name a .png file, got '\(out)'") }
        if augmentation.pipeline == nil && !augmentation.hasOperationFlags {
            throw ValidationError("no augmentation given: pass flags such as --rotation-range 40 --horizontal-flip, or --pipeline FILE")
        }
    }

    func run() throws {
        var preview = AugmentPreview(source: source, out: out, pipeline: try augmentation.makePipeline(),
                                     seed: seeding.resolve(repeating: "this grid"))
        (preview.samples, preview.indices, preview.variants, preview.split) = (samples, indices.flatMap(parseIndices), variants, split)
        (preview.resize, preview.decoding, preview.threads, preview.captions) = (loading.size, loading.choice, common.threads, !noCaptions)
        let summary = try preview.run()
        if common.json {
            try CommandSupport.printJSON(summary)
        } else {
            print("wrote \(out) (\(summary.width)x\(summary.height), \(summary.indices.count) samples x \(variants) variants) and \(summary.sidecar)")
            print("seed \(summary.seed), split \(summary.split), samples \(summary.indices.map(String.init).joined(separator: ","))")
        }
    }

    private func parseIndices(_ text: String) -> [Int]? {
        let values = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.allSatisfy({ ($0 ?? -1) >= 0 }) else { return nil }
        return values.map { $0! }
    }
}
