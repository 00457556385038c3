/// A `split` / `merge-cifar` output folder as a dataset: `dataset.json` and the `y.npy` files
/// list it, the `x.npy` files (mapped) hold its pixels.
extension SplitOutput: DatasetReader {
    public var formatName: String { DatasetDescriptor.formatName }

    /// Each split's `y.npy` (8 bytes a sample); no `x.npy` is opened. Labels that are not the
    /// described count of in-range integers, or a file outside the folder, are reported with
    /// the load's error.
    public func listing() throws -> DatasetListing {
        let d = descriptor
        let splits = try d.splits.map { split in
            let refused = DataPrepError.inconsistent(path: joinPath(path, split.y), reason: "labels the loader accepts but the listing does not")
            guard !split.y.hasPrefix("/"), !split.y.split(separator: "/").contains("..") else { throw loaderError(or: refused) }
            let y = try NPYArray(contentsOf: joinPath(path, split.y))
            guard let labels = y.integerValues, y.shape == [split.count], labels.allSatisfy({ (0..<d.classNames.count).contains($0) }) else {
                throw loaderError(or: refused)
            }
            return DatasetListing.Split(name: split.name, labels: labels.map { Int32($0) }, coarseLabels: nil, records: split.x)
        }
        return DatasetListing(classNames: d.classNames, coarseClassNames: nil, splits: splits, skipped: [])
    }

    public func load(_ options: LoadedDataset.Options, progress: (@Sendable (Int, Int) -> Void)?) throws -> LoadedDataset {
        let d = descriptor
        try options.checkMemory(path: path, count: d.splits.reduce(0) { $0 + $1.count }, height: d.height, width: d.width,
                                channels: d.channels, mapped: d.dtype == NPYArray.DType.uint8.numpyName)
        return try load().applying(options)
    }

    public func report(_ inspector: DatasetInspector) throws -> DatasetReport {
        var report = DatasetReport(path: path, format: formatName, data: try load().splits)
        report.dtype = descriptor.dtype
        if let n = descriptor.normalization { report.details["normalization"] = n.summary }
        if let seed = descriptor.seed { report.details["seed"] = "\(seed)" }
        return report
    }
}
