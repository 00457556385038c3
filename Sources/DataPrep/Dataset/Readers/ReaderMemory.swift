/// The memory a load will need, known from the listing or file sizes before decoding: each
/// reader's `load` checks it first, so a load that cannot fit fails before decoding anything.
extension LoadedDataset.Options {
    /// Throws `.insufficientMemory` when `memoryCopies` copies of `count` decoded samples (the
    /// source's `height`x`width`x`channels`, after these options' resize and colour) exceed
    /// `memory`.
    ///
    /// - Parameters:
    ///   - mapped: the source's own copy lives in the page cache (a uint8 split output is mapped,
    ///     not copied, by `SplitOutput.load`), so one fewer copy counts against the budget (none
    ///     for `train`).
    ///   - spills: the source decodes into a spill file when `spillDirectory` is set (a
    ///     collection, IDX or CIFAR source): its copies beyond the source's are spilled too
    ///     (`SplitJob`, `CIFARMerge`), so no copy counts against memory but an array source's
    ///     resized or recoloured one; the spill folder's free space is checked for `spillCopies`
    ///     copies instead.
    ///   - resizesWhileDecoding: a collection is resized as it decodes, into the spill file; an
    ///     IDX or CIFAR source is converted after (`transformed`), into memory: one copy when a
    ///     size or colour is asked.
    func checkMemory(path: String, count: Int, height: Int, width: Int, channels: Int,
                     mapped: Bool = false, spills: Bool = false, resizesWhileDecoding: Bool = true) throws {
        var copies = memoryCopies - (mapped ? 1 : 0)
        let height = size?.height ?? height, width = size?.width ?? width, channels = color?.channels ?? channels
        let sample = height * width * channels
        let (product, overflow) = count.multipliedReportingOverflow(by: sample)
        if spills, let directory = spillDirectory {
            let (disk, overflow2) = product.multipliedReportingOverflow(by: spillCopies)
            try SpillFile.checkSpace(
                in: directory, needed: overflow || overflow2 ? .max : disk,
                what: "\(count) images × \(width)x\(height)x\(channels) bytes × \(spillCopies) temporary copies")
            if resizesWhileDecoding { return }
            copies = size != nil || color != nil ? 1 : 0
        }
        guard copies > 0, let budget = memory else { return }
        let (needed, overflow2) = product.multipliedReportingOverflow(by: copies)
        try budget.check(
            needed: overflow || overflow2 ? .max : needed, path: path,
            what: "\(count) images × \(width)x\(height)x\(channels) bytes × \(copies == 1 ? "1 copy" : "\(copies) copies") held at once",
            hint: "choose a smaller --resize or --grayscale, or free memory (DATAPREP_MEMORY_LIMIT=BYTES sets the budget)")
    }
}
