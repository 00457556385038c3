import ArgumentParser
import DataPrep
import Workflows

/// Where and how `split` / `merge-cifar` write.
struct OutputOptions: ParsableArguments {
    @Option(name: .long, help: "Output folder. Built in a hidden sibling and moved into place when complete; an earlier complete dataprep dataset there is replaced; anything else (another tool's dataset.json, your own files) is refused.", completion: .directory)
    var out: String

    @Option(name: .long,
            help: "Extra formats beside the uint8 NumPy arrays SPLIT/x.npy + y.npy (always written), comma-separated or repeated: npy-float32 (npy-float32/SPLIT/x.npy float32 through the recorded --normalize, x/255 without one, + y.npy), idx (MNIST-style idx/), cifar (CIFAR-10-style cifar/SPLIT_batch.bin), png (png/SPLIT/CLASS/NNNNNN.png), wds (WebDataset shards wds/SPLIT-NNNNNN.tar).")
    var format: [String] = []

    @Option(name: .long, help: "Samples per WebDataset tar shard (with --format wds).")
    var shardSize: Int = 1000

    var formats: Set<ExportFormat> {
        get throws {
            var result: Set<ExportFormat> = [.npy]
            for item in format.flatMap({ $0.split(separator: ",") }) {
                guard let f = ExportFormat(rawValue: item.trimmingCharacters(in: .whitespaces).lowercased()) else {
                    throw ValidationError("unknown --format '\(item)': choose from \(ExportFormat.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                result.insert(f)
            }
            return result
        }
    }

    func validate() throws {
        guard shardSize > 0 else { throw ValidationError("--shard-size must be positive") }
        _ = try formats
    }

    /// The library's form of these flags (formats validated already).
    func output() throws -> DatasetOutput { DatasetOutput(folder: out, formats: try formats, shardSize: shardSize) }
}
