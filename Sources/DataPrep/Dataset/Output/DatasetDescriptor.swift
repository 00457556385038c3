/// `dataset.json`: what a `split` or `merge-cifar` output folder holds, so every reader
/// (`info`, the batch loader, `train`) opens it without guessing.
///
/// ```json
/// {"format": "dataprep-dataset", "version": 1, "height": 80, "width": 80, "channels": 1,
///  "dtype": "uint8", "classNames": ["cat", "dog"], "normalization": {"kind": "unit"},
///  "splits": [{"name": "train", "count": 1200, "x": "train/x.npy", "y": "train/y.npy",
///              "histogram": [600, 600]}], "seed": 42, "command": "dataprep split …"}
/// ```
public struct DatasetDescriptor: Codable, Equatable, Sendable {
    public static let fileName = "dataset.json"
    public static let formatName = "dataprep-dataset"

    public struct Split: Codable, Equatable, Sendable {
        public var name: String
        public var count: Int
        /// Images array, relative to the folder: NHWC `.npy`.
        public var x: String
        /// Labels array, relative to the folder: int64 `.npy`.
        public var y: String
        /// Samples per class.
        public var histogram: [Int]

        public init(name: String, count: Int, x: String, y: String, histogram: [Int]) {
            self.name = name; self.count = count; self.x = x; self.y = y; self.histogram = histogram
        }
    }

    public var format = DatasetDescriptor.formatName
    public var version = 1
    public var height: Int
    public var width: Int
    public var channels: Int
    /// `uint8`. Outputs of earlier versions made with `--normalize` say `float32`: their
    /// `x.npy` holds the normalised floats, which `SplitOutput.load` maps back to the bytes.
    public var dtype: String
    public var classNames: [String]
    /// What `--normalize` fitted (null when not asked): every reader (`train`, the batch
    /// loaders, `info`) turns the stored bytes into inputs with it.
    public var normalization: Normalization?
    public var splits: [Split]
    public var seed: UInt64?
    public var command: String?
    /// How `--map` relabelled the source's classes; nil (and the key absent, so outputs made
    /// without a map keep their bytes) when it did not.
    public var classMap: ClassRelabeling?

    public init(height: Int, width: Int, channels: Int, dtype: String, classNames: [String],
                normalization: Normalization?, splits: [Split], seed: UInt64?, command: String?, classMap: ClassRelabeling? = nil) {
        self.height = height; self.width = width; self.channels = channels; self.dtype = dtype
        self.classNames = classNames; self.normalization = normalization; self.splits = splits
        self.seed = seed; self.command = command; self.classMap = classMap
    }

    private enum CodingKeys: String, CodingKey {
        case format, version, height, width, channels, dtype, classNames, normalization, splits, seed, command, classMap
    }

    /// Absent values are written as `null` rather than left out, so a reader can index every
    /// key (`d["normalization"]` in Python) without a KeyError.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(format, forKey: .format); try c.encode(version, forKey: .version)
        try c.encode(height, forKey: .height); try c.encode(width, forKey: .width); try c.encode(channels, forKey: .channels)
        try c.encode(dtype, forKey: .dtype); try c.encode(classNames, forKey: .classNames)
        try c.encode(normalization, forKey: .normalization)
        try c.encode(splits, forKey: .splits)
        try c.encode(seed, forKey: .seed); try c.encode(command, forKey: .command)
        try c.encodeIfPresent(classMap, forKey: .classMap)
    }
}

extension Normalization {
    private enum CodingKeys: String, CodingKey { case kind, mean, std }

    /// `{"kind": "unit"}` or `{"kind": "standard", "mean": [...], "std": [...]}`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(String.self, forKey: .kind) {
        case "unit": self = .unit
        case "standard":
            let mean = try container.decode([Float].self, forKey: .mean), std = try container.decode([Float].self, forKey: .std)
            guard mean.count == std.count, !mean.isEmpty, !std.contains(where: { !($0 > 0) }) else {
                throw DecodingError.dataCorruptedError(forKey: .std, in: container,
                                                       debugDescription: "standard normalization needs one positive std per mean")
            }
            self = .standard(mean: mean, std: std)
        case let other:
            throw DecodingError.dataCorruptedError(forKey: .kind, in: container,
                                                   debugDescription: "unknown normalization '\(other)' (expected unit or standard)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .kind)
        if case let .standard(mean, std) = self {
            try container.encode(mean, forKey: .mean)
            try container.encode(std, forKey: .std)
        }
    }
}
