/// Building a split from chosen samples of a pooled source.
extension ImageDataset {
    /// The samples at `indices`, in that order (labels and coarse labels follow), in memory.
    public func gathering(_ indices: [Int]) -> ImageDataset {
        let size = sampleSize
        var out = [UInt8](repeating: 0, count: indices.count * size)
        out.withUnsafeMutableBufferPointer { dst in
            storage.withUnsafeBufferPointer { src in
                for (k, i) in indices.enumerated() {
                    (dst.baseAddress! + k * size).update(from: src.baseAddress! + i * size, count: size)
                }
            }
        }
        return relabelled(indices, storage: PixelStorage(out))
    }

    /// `gathering(indices)` with the pixels copied into a `SpillFile` in `directory`, chunk by
    /// chunk, and mapped back: the same samples, but anonymous memory holds only one chunk of
    /// at most `chunkBytes` (and the labels), whatever the split's size.
    public func gathering(_ indices: [Int], spillingInto directory: String, chunkBytes: Int = SpillFile.defaultChunkBytes) throws -> ImageDataset {
        let size = sampleSize
        let spill = try SpillFile(directory: directory)
        let perChunk = max(1, chunkBytes / size)
        var buffer = [UInt8](repeating: 0, count: min(indices.count, perChunk) * size)
        try storage.withUnsafeBufferPointer { src in
            try buffer.withUnsafeMutableBufferPointer { dst in
                var start = 0
                while start < indices.count {
                    let end = min(indices.count, start + perChunk)
                    for k in start..<end {
                        (dst.baseAddress! + (k - start) * size).update(from: src.baseAddress! + indices[k] * size, count: size)
                    }
                    try spill.append(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(dst)[0..<((end - start) * size)]))
                    start = end
                }
            }
        }
        return relabelled(indices, storage: PixelStorage(mapping: try spill.mapped(), offset: 0, count: spill.count))
    }

    /// The dataset's labels at `indices` over `storage` (which holds those samples in order).
    private func relabelled(_ indices: [Int], storage: PixelStorage) -> ImageDataset {
        ImageDataset(height: height, width: width, channels: channels, storage: storage, labels: indices.map { labels[$0] },
                     classNames: classNames, coarseLabels: coarseLabels.map { c in indices.map { c[$0] } },
                     coarseClassNames: coarseClassNames)
    }
}
