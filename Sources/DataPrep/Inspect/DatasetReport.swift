/// What `dataprep info` says about one input: the machine-readable form behind `--json` and the
/// text table. Field names are part of the CLI's contract for scripts.
public struct DatasetReport: Codable, Sendable, Equatable {
    public var path: String
    /// Detected format, e.g. `idx-folder`, `cifar-10`, `cifar-archive`, `kaggle-named-splits-zip`.
    public var format: String
    /// Element type of the decoded pixels (or of the IDX array).
    public var dtype: String
    public var classNames: [String]
    /// CIFAR-100 superclass names.
    public var coarseClassNames: [String]?
    public var splits: [SplitReport]
    /// Files passed over, with reasons (never silently).
    public var skipped: [SkippedFile]
    /// Format-specific facts (JPEG colour space, IDX rank, CIFAR variant, ...).
    public var details: [String: String]

    public init(path: String, format: String, dtype: String, classNames: [String], coarseClassNames: [String]? = nil,
                splits: [SplitReport], skipped: [SkippedFile] = [], details: [String: String] = [:]) {
        self.path = path
        self.format = format
        self.dtype = dtype
        self.classNames = classNames
        self.coarseClassNames = coarseClassNames
        self.splits = splits
        self.skipped = skipped
        self.details = details
    }
}

/// One split's count, shape and class histogram.
public struct SplitReport: Codable, Sendable, Equatable {
    public var name: String
    public var count: Int
    /// Per-sample shape `[height, width, channels]` when every sample has the same one (for a
    /// lone IDX array: its full shape), else nil and `sizes` tells the range.
    public var shape: [Int]?
    public var sizes: SizeRange?
    /// Samples per class, index = label.
    public var histogram: [Int]
    /// Samples per CIFAR-100 superclass.
    public var coarseHistogram: [Int]?

    public init(name: String, count: Int, shape: [Int]?, sizes: SizeRange? = nil, histogram: [Int], coarseHistogram: [Int]? = nil) {
        self.name = name
        self.count = count
        self.shape = shape
        self.sizes = sizes
        self.histogram = histogram
        self.coarseHistogram = coarseHistogram
    }
}

/// The spread of image sizes in a collection of photos.
public struct SizeRange: Codable, Sendable, Equatable {
    public var minWidth: Int
    public var minHeight: Int
    public var maxWidth: Int
    public var maxHeight: Int
    /// How many images are gray (1 channel) vs colour (3).
    public var grayCount: Int
    public var colorCount: Int

    public init(minWidth: Int, minHeight: Int, maxWidth: Int, maxHeight: Int, grayCount: Int, colorCount: Int) {
        self.minWidth = minWidth
        self.minHeight = minHeight
        self.maxWidth = maxWidth
        self.maxHeight = maxHeight
        self.grayCount = grayCount
        self.colorCount = colorCount
    }
}
