/// A photo collection (class folders or Kaggle names, folder or `.zip`) as a dataset: the
/// listing is its file names, decoding reads each photo once (hashing the bytes it decodes).
extension ImageCollection: DatasetReader {
    public var formatName: String { layout.rawValue + (location == .zip(path) ? "-zip" : "") }

    /// The listed photos by split with their labels from names or folders; no file is opened,
    /// so a photo that will not decode is listed (its load skips it) and `skipped` holds only
    /// what listing already passed over.
    public func listing() throws -> DatasetListing {
        DatasetListing(classNames: classNames, coarseClassNames: nil,
                       splits: splits.enumerated().map { s, split in
                           DatasetListing.Split(name: split.name, labels: split.items.map(\.label), coarseLabels: nil,
                                                origins: SampleOrigins(prefix: displayPrefix, paths: split.items.lazy.map(\.path)))
                       },
                       skipped: skipped)
    }

    public func load(_ options: LoadedDataset.Options, progress: (@Sendable (Int, Int) -> Void)?) throws -> LoadedDataset {
        func setup() throws -> (size: (width: Int, height: Int), color: ColorMode) {
            if options.size != nil { try options.checkMemory(path: path, count: count, height: 0, width: 0, channels: 3, spills: true) }
            if options.strict { try checkStrict() }
            return try target(options, path: path)
        }
        let (size, color) = try options.decodeSharing.map { try $0.agree(setup) } ?? setup()
        let loadOptions = ImageCollection.LoadOptions(width: size.width, height: size.height, color: color,
                                                      filter: options.filter, aspect: options.aspect,
                                                      strict: options.strict, threads: options.threads, decode: options.decode)
        let (data, skipped, origins, hashes) = try load(loadOptions, hashing: options.hashSources, spillDirectory: options.spillDirectory,
                                                        chunkBytes: options.chunkBytes, sharing: options.decodeSharing, progress: progress)
        var loaded = LoadedDataset(splits: data, skipped: skipped, format: formatName, origins: origins)
        loaded.sourceHashes = hashes
        return loaded
    }

    /// The size and colour a collection loads to: the options' where given, else the one size
    /// all its images share and gray exactly when every image is gray.
    /// - Throws: `.notADataset` naming two images of different sizes when no size is given.
    func target(_ options: LoadedDataset.Options, path: String) throws -> (size: (width: Int, height: Int), color: ColorMode) {
        if let size = options.size, let color = options.color { return (size, color) }
        let shape = try sourceShape(needSize: options.size == nil, needColor: options.color == nil, threads: options.threads)
        guard let size = options.size ?? shape.commonSize else {
            let sizes = [shape.first, shape.differing].compactMap { $0 }.map { "\($0.name) is \($0.width)x\($0.height)" }
            let reason = sizes.isEmpty
                ? "no image in the collection has a readable header"
                : "its images differ in size (\(sizes.joined(separator: ", "))): choose one with --resize WxH (e.g. 80x80)"
            throw DataPrepError.notADataset(path: path, reason: reason)
        }
        return (size, options.color ?? shape.nativeColor)
    }

    /// Probes every image in parallel (headers and a full decode check, as `ImageFile.probe`
    /// does) and gathers sizes and failures per split.
    public func report(_ inspector: DatasetInspector) throws -> DatasetReport {
        if inspector.strict { try checkStrict() }
        let items = splits.flatMap { split in split.items.map { (split.name, $0) } }
        let total = items.count
        let done = AtomicCounter()
        let progress = inspector.progress
        let probes = try Parallel.map(count: total, threads: inspector.threads) { i -> Result<ImageFile.Probe, DataPrepError> in
            defer { progress?(done.increment() + 1, total) }
            do {
                return .success(try ImageFile.probe(bytes(of: items[i].1), name: displayName(of: items[i].1)))
            } catch let error as DataPrepError {
                return .failure(error)
            }
        }
        var skipped = self.skipped
        var reports: [SplitReport] = []
        var offset = 0
        for split in splits {
            var histogram = [Int](repeating: 0, count: classNames.count)
            var sizes: SizeRange?
            var count = 0
            for (k, item) in split.items.enumerated() {
                switch probes[offset + k] {
                case let .failure(error):
                    if inspector.strict { throw error }
                    skipped.append(SkippedFile(path: displayName(of: item), reason: error.reason))
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
            reports.append(SplitReport(name: split.name, count: count, shape: uniform, sizes: sizes, histogram: histogram))
        }
        return DatasetReport(path: path, format: formatName, dtype: "uint8", classNames: classNames,
                             splits: reports, skipped: skipped, details: ["layout": layout.rawValue])
    }
}
