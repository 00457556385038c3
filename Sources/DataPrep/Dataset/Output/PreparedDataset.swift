import Foundation

/// Everything `split` / `merge-cifar` write: the samples per split plus where they came from.
public struct PreparedDataset: Sendable {
    public var splits: [(name: String, data: ImageDataset)]
    public var classNames: [String]
    /// How readers turn the stored bytes into model inputs, recorded in `dataset.json` (nil:
    /// none asked, readers use `x / 255`). `x.npy` is uint8 either way; the `npy-float32`
    /// export writes the floats.
    public var normalization: Normalization?
    /// One row per written sample, made from compact tables when written.
    public var manifest: ManifestTable
    public var seed: UInt64?
    /// The command line that produced it (recorded, not re-run).
    public var command: String
    /// The source path(s).
    public var source: String
    /// How the source's classes were relabelled (`--map`), recorded in `dataset.json`.
    public var classMap: ClassRelabeling?

    public init(splits: [(name: String, data: ImageDataset)], classNames: [String], normalization: Normalization?,
                manifest: ManifestTable, seed: UInt64?, command: String, source: String, classMap: ClassRelabeling? = nil) {
        self.splits = splits; self.classNames = classNames; self.normalization = normalization
        self.manifest = manifest; self.seed = seed; self.command = command; self.source = source; self.classMap = classMap
    }

    /// A dataset whose manifest rows are given whole.
    public init(splits: [(name: String, data: ImageDataset)], classNames: [String], normalization: Normalization?,
                manifest: [ManifestRow], seed: UInt64?, command: String, source: String, classMap: ClassRelabeling? = nil) {
        self.init(splits: splits, classNames: classNames, normalization: normalization, manifest: ManifestTable(rows: manifest),
                  seed: seed, command: command, source: source, classMap: classMap)
    }

    /// The `dataset.json` describing the npy arrays.
    public var descriptor: DatasetDescriptor {
        let first = splits.first?.data
        return DatasetDescriptor(
            height: first?.height ?? 0, width: first?.width ?? 0, channels: first?.channels ?? 0,
            dtype: "uint8", classNames: classNames, normalization: normalization,
            splits: splits.map { split in
                DatasetDescriptor.Split(name: split.name, count: split.data.count, x: "\(split.name)/x.npy", y: "\(split.name)/y.npy",
                                        histogram: split.data.classHistogram)
            },
            seed: seed, command: command, classMap: classMap)
    }
}

/// Deterministic JSON for every file we write: sorted keys, pretty-printed, trailing newline.
enum StableJSON {
    static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return Array(try encoder.encode(value)) + [0x0A]
    }
}
