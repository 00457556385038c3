/// The pixels of merged splits, gathered from several same-shaped sources.
enum MergedSplits {
    /// One output split: which source and record each sample comes from, in output order, and
    /// its output label.
    struct Plan {
        var name: String
        /// Same height, width and channels.
        var sources: [ImageDataset]
        var samples: [(source: Int, index: Int)]
        var labels: [Int32]
    }

    /// The splits of `plans`, in order, their pixels copied sample by sample from the sources.
    ///
    /// With `spillDirectory` the samples go, `chunkBytes` at a time, into one unlinked
    /// `SpillFile` there, every split after the previous one, and come back mapped read-only
    /// (so they also pool without a copy, `PixelStorage.contiguous`): anonymous memory holds
    /// one chunk. Without it each split is an array. Same bytes either way.
    static func gather(_ plans: [Plan], classNames: [String], spillDirectory: String?,
                       chunkBytes: Int = SpillFile.defaultChunkBytes) throws -> [(name: String, data: ImageDataset)] {
        guard let first = plans.first?.sources.first else { return [] }
        let size = first.sampleSize
        let spill = try spillDirectory.map { try SpillFile(directory: $0) }
        var storages: [PixelStorage] = []
        var windows: [[Range<Int>]] = []
        for plan in plans {
            precondition(plan.sources.allSatisfy { $0.sampleSize == size }, "MergedSplits: sources of \(plan.name) differ in sample size")
            let perChunk = spill == nil ? max(1, plan.samples.count) : max(1, chunkBytes / size)
            var buffer = [UInt8](repeating: 0, count: min(plan.samples.count, perChunk) * size)
            let start = spill?.count ?? 0
            try withBases(plan.sources) { bases in
                try buffer.withUnsafeMutableBufferPointer { dst in
                    var done = 0
                    while done < plan.samples.count {
                        let end = min(plan.samples.count, done + perChunk)
                        for k in done..<end {
                            let (source, index) = plan.samples[k]
                            (dst.baseAddress! + (k - done) * size).update(from: bases[source]! + index * size, count: size)
                        }
                        try spill?.append(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(dst)[0..<((end - done) * size)]))
                        done = end
                    }
                }
            }
            if let spill { windows.append([start..<spill.count]) } else { storages.append(PixelStorage(buffer)) }
        }
        if let spill { storages = try SpillLayout.storages(windows, of: spill) }
        return zip(plans, storages).map { plan, storage in
            (plan.name, ImageDataset(height: first.height, width: first.width, channels: first.channels, storage: storage,
                                     labels: plan.labels, classNames: classNames))
        }
    }

    /// Calls `body` with the base address of each dataset's pixels (valid only during the call).
    /// (nil for an empty dataset, which no sample can come from).
    private static func withBases<R>(_ sources: ArraySlice<ImageDataset>, _ bases: [UnsafePointer<UInt8>?] = [],
                                     _ body: ([UnsafePointer<UInt8>?]) throws -> R) rethrows -> R {
        guard let next = sources.first else { return try body(bases) }
        return try next.storage.withUnsafeBufferPointer { buffer in
            try withBases(sources.dropFirst(), bases + [buffer.baseAddress], body)
        }
    }

    private static func withBases<R>(_ sources: [ImageDataset], _ body: ([UnsafePointer<UInt8>?]) throws -> R) rethrows -> R {
        try withBases(sources[...], [], body)
    }
}
