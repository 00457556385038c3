/// An official CIFAR-10 / CIFAR-100 distribution (extracted folder or `.tar.gz`) as a dataset,
/// under the path it was opened by (`CIFARSource` may have stepped into the folder's only
/// child, `cifar-10-batches-bin/`; reports and errors still name what the user gave).
public struct CIFARReader: DatasetReader {
    public let path: String
    public let source: CIFARSource

    public init(path: String, source: CIFARSource) {
        self.path = path
        self.source = source
    }

    public var formatName: String {
        if case .archive = source.location { return "cifar-archive" }
        return source.variant?.rawValue ?? "cifar"
    }

    /// The batch files' label bytes and the meta files' class names, split by split in official
    /// order (an archive is streamed once; nothing is transposed). Whatever the load would refuse
    /// (a split missing some batches, a linked member, a meta file of the wrong length) is
    /// reported with the load's own error; a split missing all its batches is in `skipped`.
    public func listing() throws -> DatasetListing {
        var batches: [String: CIFARRecordLabels] = [:]
        var meta: [String: [String]] = [:]
        var found: CIFARVariant?
        switch source.location {
        case let .folder(folder):
            let variant = source.variant ?? .cifar10
            found = variant
            for name in try CIFARSource.members(of: folder, variant: variant) {
                let file = joinPath(folder, name), bytes = try FileIO.read(file)
                if CIFARSource.isMetaFile(name) {
                    meta[name] = CIFARClassNames.parse(bytes)
                } else {
                    batches[name] = try CIFARRecordLabels(bytes: bytes, name: file, variant: variant)
                }
            }
        case let .archive(archive):
            var reader = try TarReader(path: archive)
            try reader.forEach(wants: CIFARSource.isWanted) { entry, bytes in
                let base = lastPathComponent(entry.path)
                let member = CIFARSource.variant(ofMember: base)
                guard entry.kind == .file, member == nil || found == nil || member == found else {
                    throw loaderError(or: .inconsistent(path: archive, reason: "\(entry.path): a member the loader accepts but the listing does not"))
                }
                found = found ?? member
                if let member {
                    batches[base] = try CIFARRecordLabels(bytes: bytes, name: archive + ":" + entry.path, variant: member)
                } else {
                    meta[base] = CIFARClassNames.parse(bytes)
                }
            }
        }
        let refused = DataPrepError.inconsistent(path: path, reason: "batches the loader accepts but the listing does not")
        guard let variant = found else { throw loaderError(or: refused) }
        let fine = meta[variant == .cifar10 ? "batches.meta.txt" : "fine_label_names.txt"]
            ?? (variant == .cifar10 ? CIFARClassNames.cifar10 : CIFARClassNames.cifar100Fine)
        let coarse = variant == .cifar100 ? meta["coarse_label_names.txt"] ?? CIFARClassNames.cifar100Coarse : nil
        var splits: [DatasetListing.Split] = []
        for (split, files) in [("train", variant.trainFiles), ("test", variant.testFiles)] {
            let parts = files.compactMap { batches[$0] }
            guard !parts.isEmpty else { continue }
            guard parts.count == files.count else { throw loaderError(or: refused) }
            splits.append(DatasetListing.Split(name: split, labels: parts.flatMap(\.labels),
                                               coarseLabels: coarse == nil ? nil : parts.flatMap { $0.coarseLabels ?? [] },
                                               records: split))
        }
        guard !splits.isEmpty, fine.count == variant.classCount, (coarse?.count ?? 20) == 20 else { throw loaderError(or: refused) }
        let source: String
        switch self.source.location {
        case let .folder(folder): source = folder
        case let .archive(archive): source = archive + ":"
        }
        let absent = CIFARMembers().absent(variant: variant, source: source).filter { file in
            !batches.keys.contains { file.path.hasSuffix($0) }
        }
        return DatasetListing(classNames: fine, coarseClassNames: coarse, splits: splits, skipped: absent)
    }

    public func load(_ options: LoadedDataset.Options, progress: (@Sendable (Int, Int) -> Void)?) throws -> LoadedDataset {
        let files: [String]
        switch source.location {
        case let .folder(folder): files = ((try? FileIO.listDirectory(folder)) ?? []).filter { $0.hasSuffix(".bin") }.map { joinPath(folder, $0) }
        case let .archive(archive): files = [archive]  // CIFAR's pixels barely compress: the archive size is close
        }
        let bytes = files.reduce(0) { $0 + ((try? FileIO.size($1)) ?? 0) }
        try options.checkMemory(path: path, count: bytes / CIFARVariant.cifar10.recordSize, height: 32, width: 32, channels: 3,
                                spills: true, resizesWhileDecoding: false)
        let (data, absent) = try source.loadReportingAbsent(spillDirectory: options.spillDirectory, chunkBytes: options.chunkBytes)
        try refuseAbsent(absent, strict: options.strict)
        return try LoadedDataset(splits: data, skipped: absent, format: formatName,
                                 origins: data.splits.map { split in SampleOrigins(records: split.name, count: split.data.count) })
            .applying(options)
    }

    public func report(_ inspector: DatasetInspector) throws -> DatasetReport {
        let (data, absent) = try source.loadReportingAbsent()
        try refuseAbsent(absent, strict: inspector.strict)
        var report = DatasetReport(path: path, format: formatName, data: data)
        report.skipped = absent
        report.details["variant"] = data.splits.first?.data.coarseLabels == nil ? "cifar-10" : "cifar-100"
        return report
    }

    /// With `--strict`, a wholly absent split is an error rather than a smaller dataset.
    private func refuseAbsent(_ absent: [SkippedFile], strict: Bool) throws {
        if strict, let first = absent.first {
            throw DataPrepError.inconsistent(path: path, reason: "\(first.path): \(first.reason) (--strict)")
        }
    }
}
