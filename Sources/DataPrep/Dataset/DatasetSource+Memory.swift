/// The memory a load will need, known from the listing or file sizes before decoding.
extension DatasetSource {
    /// Samples and bytes per decoded sample after `options`' resize and colour, when cheap to
    /// know (nil for IDX folders, whose gzip sizes say little; MNIST-sized anyway).
    func decodedSize(_ options: LoadedDataset.Options) -> (count: Int, height: Int, width: Int, channels: Int)? {
        func shaped(_ count: Int, _ height: Int, _ width: Int, _ channels: Int) -> (Int, Int, Int, Int) {
            (count, options.size?.height ?? height, options.size?.width ?? width, options.color?.channels ?? channels)
        }
        switch self {
        case let .collection(collection):
            guard options.size != nil else { return nil }
            return shaped(collection.count, 0, 0, 3)
        case let .splitOutput(output):
            let d = output.descriptor
            return shaped(d.splits.reduce(0) { $0 + $1.count }, d.height, d.width, d.channels)
        case let .cifar(cifar):
            let files: [String]
            switch cifar.location {
            case let .folder(folder): files = ((try? FileIO.listDirectory(folder)) ?? []).filter { $0.hasSuffix(".bin") }.map { joinPath(folder, $0) }
            case let .archive(archive): files = [archive]  // CIFAR's pixels barely compress: the archive size is close
            }
            let bytes = files.reduce(0) { $0 + ((try? FileIO.size($1)) ?? 0) }
            return shaped(bytes / CIFARVariant.cifar10.recordSize, 32, 32, 3)
        case let .cifarBatch(file, variant):
            return shaped(((try? FileIO.size(file)) ?? 0) / variant.recordSize, 32, 32, 3)
        case .idxFolder, .idxFile, .image:
            return nil
        }
    }

    /// Throws `.insufficientMemory` when `options.memoryCopies` copies of the decoded samples
    /// exceed `options.memory`.
    ///
    /// A uint8 split output is mapped, not copied (`SplitOutput.load`): its own copy lives in
    /// the page cache, so one fewer copy counts against the budget (none for `train`).
    ///
    /// A collection, IDX or CIFAR source loaded with `spillDirectory` is decoded into a spill
    /// file, not memory: its copies beyond the source's are spilled too (`SplitJob`,
    /// `CIFARMerge`), so no copy counts against memory but an IDX or CIFAR source's resized or
    /// recoloured one; the spill folder's free space is checked for `spillCopies` copies.
    func checkMemory(path: String, options: LoadedDataset.Options) throws {
        var copies = options.memoryCopies
        if case let .splitOutput(output) = self, output.descriptor.dtype == NPYArray.DType.uint8.numpyName { copies -= 1 }
        guard let size = decodedSize(options) else { return }
        let sample = size.height * size.width * size.channels
        let (product, overflow) = size.count.multipliedReportingOverflow(by: sample)
        if streamsIntoSpill, let directory = options.spillDirectory {
            let (disk, overflow2) = product.multipliedReportingOverflow(by: options.spillCopies)
            try SpillFile.checkSpace(
                in: directory, needed: overflow || overflow2 ? .max : disk,
                what: "\(size.count) images × \(size.width)x\(size.height)x\(size.channels) bytes × \(options.spillCopies) temporary copies")
            // A collection is resized as it decodes, into the spill file; an IDX or CIFAR source
            // is converted after (`transformed`), into memory: one copy when a size or colour is asked.
            if case .collection = self { return }
            copies = options.size != nil || options.color != nil ? 1 : 0
        }
        guard copies > 0, let budget = options.memory else { return }
        let (needed, overflow2) = product.multipliedReportingOverflow(by: copies)
        try budget.check(
            needed: overflow || overflow2 ? .max : needed, path: path,
            what: "\(size.count) images × \(size.width)x\(size.height)x\(size.channels) bytes × \(copies == 1 ? "1 copy" : "\(copies) copies") held at once",
            hint: "choose a smaller --resize or --grayscale, or free memory (DATAPREP_MEMORY_LIMIT=BYTES sets the budget)")
    }

    /// Whether `LoadedDataset.load` decodes this kind into a spill file when given a folder.
    var streamsIntoSpill: Bool {
        switch self {
        case .collection, .idxFolder, .cifar, .cifarBatch: return true
        case .splitOutput, .idxFile, .image: return false
        }
    }
}
