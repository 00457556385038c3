/// One CIFAR batch file on its own (`data_batch_1.bin`, `test.bin`, …): a dataset with one
/// split, `all`.
public struct CIFARBatchFile: DatasetReader {
    public let path: String
    public let variant: CIFARVariant

    public init(path: String, variant: CIFARVariant) {
        self.path = path
        self.variant = variant
    }

    /// CIFAR-10 or -100 for a lone batch file: by the official file name, else by which record
    /// size divides the file size.
    public static func variant(of path: String) throws -> CIFARVariant {
        let name = lastPathComponent(path)
        if let variant = CIFARSource.variant(ofMember: name) { return variant }
        let size = try FileIO.size(path)
        if size > 0 && size % CIFARVariant.cifar100.recordSize == 0 && size % CIFARVariant.cifar10.recordSize != 0 { return .cifar100 }
        return .cifar10
    }

    public var formatName: String { variant.rawValue + "-batch" }

    private var classNames: [String] { variant == .cifar10 ? CIFARClassNames.cifar10 : CIFARClassNames.cifar100Fine }
    private var coarseClassNames: [String]? { variant == .cifar100 ? CIFARClassNames.cifar100Coarse : nil }

    /// The records' label bytes.
    public func listing() throws -> DatasetListing {
        let records = try CIFARRecordLabels(bytes: FileIO.read(path), name: path, variant: variant)
        return DatasetListing(
            classNames: classNames, coarseClassNames: coarseClassNames,
            splits: [DatasetListing.Split(name: "all", labels: records.labels, coarseLabels: records.coarseLabels,
                                          origins: SampleOrigins(records: lastPathComponent(path), count: records.labels.count))],
            skipped: [])
    }

    public func load(_ options: LoadedDataset.Options, progress: (@Sendable (Int, Int) -> Void)?) throws -> LoadedDataset {
        try options.checkMemory(path: path, count: ((try? FileIO.size(path)) ?? 0) / variant.recordSize, height: 32, width: 32, channels: 3,
                                spills: true, resizesWhileDecoding: false)
        let data = try CIFARBatch.dataset(file: path, variant: variant, spillDirectory: options.spillDirectory, chunkBytes: options.chunkBytes)
        let name = lastPathComponent(path)
        return try LoadedDataset(splits: SplitDataset(splits: [("all", data)]), format: formatName,
                                 origins: [SampleOrigins(records: name, count: data.count)])
            .applying(options)
    }

    public func report(_ inspector: DatasetInspector) throws -> DatasetReport {
        DatasetReport(path: path, format: formatName, data: SplitDataset(splits: [("all", try decode())]))
    }

    private func decode() throws -> ImageDataset {
        try CIFARBatch.dataset(file: path, variant: variant)
    }
}
