/// Builds the `info` report for any `DatasetSource`: decodes everything once, so a file that
/// cannot be decoded is found here rather than in the middle of training.
public struct DatasetInspector: Sendable {
    /// Fail on the first unreadable image instead of reporting it and going on.
    public var strict = false
    public var threads = Parallel.defaultThreads
    /// Called from worker threads with (images checked so far, total) while a collection is scanned.
    public var progress: (@Sendable (Int, Int) -> Void)?

    public init(strict: Bool = false, threads: Int = Parallel.defaultThreads, progress: (@Sendable (Int, Int) -> Void)? = nil) {
        self.strict = strict
        self.threads = threads
        self.progress = progress
    }

    public func inspect(_ path: String) throws -> DatasetReport {
        let source = try DatasetSource.open(path)
        switch source {
        case let .idxFolder(folder):
            var report = report(path: path, format: source.formatName, data: try folder.load())
            report.details["files"] = folder.splits.flatMap { [$0.images, $0.labels].map(lastPathComponent) }.joined(separator: " ")
            if folder.isFashion { report.details["classes"] = "Fashion-MNIST (from the folder name)" }
            return report
        case let .cifar(cifar):
            let (data, absent) = try cifar.loadReportingAbsent()
            var report = report(path: path, format: source.formatName, data: data)
            if strict, let first = absent.first {
                throw DataPrepError.inconsistent(path: path, reason: "\(first.path): \(first.reason) (--strict)")
            }
            report.skipped = absent
            report.details["variant"] = data.splits.first?.data.coarseLabels == nil ? "cifar-10" : "cifar-100"
            return report
        case let .cifarBatch(file, variant):
            let batch = try CIFARBatch(bytes: FileIO.read(file), name: file, variant: variant)
            let names = variant == .cifar10 ? CIFARClassNames.cifar10 : CIFARClassNames.cifar100Fine
            let coarseNames = variant == .cifar100 ? CIFARClassNames.cifar100Coarse : nil
            let data = ImageDataset(height: 32, width: 32, channels: 3, pixels: batch.pixels, labels: batch.labels,
                                    classNames: names, coarseLabels: batch.coarseLabels, coarseClassNames: coarseNames)
            return report(path: path, format: source.formatName, data: SplitDataset(splits: [("all", data)]))
        case let .idxFile(file):
            return try idxReport(file, format: source.formatName)
        case let .image(file):
            let bytes = try FileIO.read(file)
            let probe = try ImageFile.probe(bytes, name: file)
            var details: [String: String] = [:]
            if let info = try? JPEG.readInfo(bytes, name: file) {
                details = ["codec": "jpeg", "colorSpace": "\(info.colorSpace)", "progressive": "\(info.isProgressive)",
                           "exifOrientation": "\(info.orientation)"]
            } else {
                details = ["codec": "png"]
            }
            return DatasetReport(path: path, format: source.formatName, dtype: "uint8", classNames: [],
                                 splits: [SplitReport(name: "all", count: 1, shape: [probe.height, probe.width, probe.channels], histogram: [])],
                                 details: details)
        case let .collection(collection):
            return try collectionReport(collection, format: source.formatName)
        case let .splitOutput(output):
            var report = report(path: path, format: source.formatName, data: try output.load().splits)
            report.dtype = output.descriptor.dtype
            if let n = output.descriptor.normalization { report.details["normalization"] = n.summary }
            if let seed = output.descriptor.seed { report.details["seed"] = "\(seed)" }
            return report
        }
    }

    private func report(path: String, format: String, data: SplitDataset) -> DatasetReport {
        let first = data.splits[0].data
        return DatasetReport(
            path: path, format: format, dtype: "uint8", classNames: first.classNames, coarseClassNames: first.coarseClassNames,
            splits: data.splits.map { split in
                SplitReport(name: split.name, count: split.data.count, shape: [split.data.height, split.data.width, split.data.channels],
                            histogram: split.data.classHistogram, coarseHistogram: split.data.coarseHistogram)
            })
    }

    /// A lone IDX array: its full shape, and a value histogram when it holds integer labels.
    private func idxReport(_ file: String, format: String) throws -> DatasetReport {
        let array = try IDXArray(contentsOf: file)
        var histogram: [Int] = []
        var names: [String] = []
        if array.shape.count == 1, let values = array.integerValues, let maxValue = values.max(), values.allSatisfy({ $0 >= 0 }),
           maxValue < 65536 {
            histogram = [Int](repeating: 0, count: maxValue + 1)
            for v in values { histogram[v] += 1 }
            names = (0...maxValue).map(String.init)
        }
        return DatasetReport(path: file, format: format, dtype: array.dataType.name, classNames: names,
                             splits: [SplitReport(name: "all", count: array.shape[0], shape: array.shape, histogram: histogram)],
                             details: ["rank": "\(array.shape.count)"])
    }

    /// Decodes every image of a collection in parallel and gathers sizes and failures.
    private func collectionReport(_ collection: ImageCollection, format: String) throws -> DatasetReport {
        if strict { try collection.checkStrict() }
        let items = collection.splits.flatMap { split in split.items.map { (split.name, $0) } }
        let total = items.count
        let done = AtomicCounter()
        let progress = self.progress
        let probes = try Parallel.map(count: total, threads: threads) { i -> Result<ImageFile.Probe, DataPrepError> in
            defer { progress?(done.increment() + 1, total) }
            do {
                return .success(try ImageFile.probe(collection.bytes(of: items[i].1), name: collection.displayName(of: items[i].1)))
            } catch let error as DataPrepError {
                return .failure(error)
            }
        }
        var skipped = collection.skipped
        var splits: [SplitReport] = []
        var offset = 0
        for split in collection.splits {
            var histogram = [Int](repeating: 0, count: collection.classNames.count)
            var sizes: SizeRange?
            var count = 0
            for (k, item) in split.items.enumerated() {
                switch probes[offset + k] {
                case let .failure(error):
                    if strict { throw error }
                    skipped.append(SkippedFile(path: collection.displayName(of: item), reason: error.reason))
                case let .success(p):
                    count += 1
                    histogram[Int(item.label)] += 1
                    sizes = SizeRange(
                        minWidth: min(sizes?.minWidth ?? .max, p.width), minHeight: min(sizes?.minHeight ?? .max, p.height),
                        maxWidth: max(sizes?.maxWidth ?? 0, p.width), maxHeight: max(sizes?.maxHeight ?? 0, p.height),
                        grayCount: (sizes?.grayCount ?? 0) + (p.channels == 1 ? 1 : 0),
                        colorCount: (sizes?.colorCount ?? 0) + (p.channels == 1 ? 0 : 1))
                }
            }
            offset += split.items.count
            let uniform = sizes.flatMap { s in
                s.minWidth == s.maxWidth && s.minHeight == s.maxHeight && (s.grayCount == 0 || s.colorCount == 0)
                    ? [s.minHeight, s.minWidth, s.grayCount > 0 ? 1 : 3] : nil
            }
            splits.append(SplitReport(name: split.name, count: count, shape: uniform, sizes: sizes, histogram: histogram))
        }
        return DatasetReport(path: collection.path, format: format, dtype: "uint8", classNames: collection.classNames,
                             splits: splits, skipped: skipped, details: ["layout": collection.layout.rawValue])
    }
}
