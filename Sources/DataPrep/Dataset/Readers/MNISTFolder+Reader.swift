/// An IDX folder as a dataset: the labels files list it, the images files decode it.
extension MNISTFolder: DatasetReader {
    public var formatName: String { "idx-folder" }

    /// Each split's labels file, read whole (60,000 bytes for MNIST's train split); the images
    /// files are not opened. Class names are the Fashion-MNIST names or the digits widened to the
    /// largest label, as `loadPair` names them (over all splits, should they reach different
    /// labels). A labels file that is not one rank of non-negative integers is reported with the
    /// loader's error; whether the images agree in count is for `load` to check.
    public func listing() throws -> DatasetListing {
        var values: [[Int]] = []
        for files in splits {
            let array = try IDXArray(contentsOf: files.labels)
            guard let labels = array.integerValues, array.shape.count == 1, labels.allSatisfy({ $0 >= 0 }) else {
                throw loaderError(or: DataPrepError.inconsistent(path: files.labels, reason: "labels the loader accepts but the listing does not"))
            }
            values.append(labels)
        }
        let maxLabel = values.joined().max() ?? 0
        return DatasetListing(
            classNames: isFashion ? MNISTFolder.fashionClassNames : (0...max(9, maxLabel)).map(String.init), coarseClassNames: nil,
            splits: zip(splits, values).map { files, labels in
                DatasetListing.Split(name: files.name, labels: labels.map { Int32($0) }, coarseLabels: nil,
                                     records: lastPathComponent(files.images))
            },
            skipped: [])
    }

    public func load(_ options: LoadedDataset.Options, progress: (@Sendable (Int, Int) -> Void)?) throws -> LoadedDataset {
        let data = try load(spillDirectory: options.spillDirectory, chunkBytes: options.chunkBytes)
        let files = splits.map { lastPathComponent($0.images) }
        return try LoadedDataset(splits: data, format: formatName,
                                 origins: zip(data.splits, files).map { split, file in SampleOrigins(records: file, count: split.data.count) })
            .applying(options)
    }

    public func report(_ inspector: DatasetInspector) throws -> DatasetReport {
        var report = DatasetReport(path: path, format: formatName, data: try load())
        report.details["files"] = splits.flatMap { [$0.images, $0.labels].map(lastPathComponent) }.joined(separator: " ")
        if isFashion { report.details["classes"] = "Fashion-MNIST (from the folder name)" }
        return report
    }
}
