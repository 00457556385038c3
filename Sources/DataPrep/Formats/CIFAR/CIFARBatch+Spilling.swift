/// Decoding a batch a chunk at a time into a `SpillFile`, for sources larger than memory.
extension CIFARBatch {
    /// Decodes the batch of `size` bytes that `read` delivers (fills the buffer; fewer bytes
    /// only at the end) in chunks of whole records, at most `chunkBytes` each: labels checked as
    /// in `init(bytes:name:variant:)`, pixels transposed to HWC and appended to `spill`.
    /// Anonymous memory holds one chunk in and one out, never the batch.
    /// - Returns: the records' labels; their pixels are `spill`'s last `count * 3072` bytes.
    /// - Throws: the errors of `init(bytes:name:variant:)`, `read`'s, and `.truncated` when the
    ///   data ends before `size` bytes.
    static func spill(size: Int, name: String, variant: CIFARVariant, read: (UnsafeMutableRawBufferPointer) throws -> Int,
                      into spill: SpillFile, chunkBytes: Int = SpillFile.defaultChunkBytes) throws -> CIFARLabels {
        let count = try recordCount(size, name: name, variant: variant)
        let recordSize = variant.recordSize
        let perChunk = min(count, max(1, chunkBytes / recordSize))
        let input = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: perChunk * recordSize)
        let output = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: perChunk * CIFARVariant.pixelBytes)
        defer { input.deallocate(); output.deallocate() }
        var labels = CIFARLabels(variant: variant, capacity: count)
        var done = 0
        while done < count {
            let n = min(perChunk, count - done)
            let got = try read(UnsafeMutableRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(input)[0..<(n * recordSize)]))
            guard got == n * recordSize else {
                throw DataPrepError.truncated(path: name, expected: size, found: done * recordSize + got)
            }
            let records = UnsafeBufferPointer(rebasing: input[0..<(n * recordSize)])
            try labels.append(records: records, firstRecord: done, name: name)
            planarToInterleaved(records, variant: variant, count: n, into: output)
            try spill.append(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(output)[0..<(n * CIFARVariant.pixelBytes)]))
            done += n
        }
        return labels
    }

    /// `spill(size:name:variant:read:into:chunkBytes:)` for the batch file at `path`.
    static func spill(file path: String, variant: CIFARVariant, into spill: SpillFile,
                      chunkBytes: Int = SpillFile.defaultChunkBytes) throws -> CIFARLabels {
        let file = try ReadOnlyFile(path: path)
        let source = FileSource(file)
        return try Self.spill(size: file.size, name: path, variant: variant, read: { try source.read(into: $0) },
                              into: spill, chunkBytes: chunkBytes)
    }

    /// A lone batch file as a dataset (CIFAR's own class names): decoded in memory, or, with
    /// `spillDirectory`, streamed into a spill file there and mapped.
    public static func dataset(file path: String, variant: CIFARVariant, spillDirectory: String? = nil,
                               chunkBytes: Int = SpillFile.defaultChunkBytes) throws -> ImageDataset {
        let fine = variant == .cifar10 ? CIFARClassNames.cifar10 : CIFARClassNames.cifar100Fine
        let coarse = variant == .cifar100 ? CIFARClassNames.cifar100Coarse : nil
        guard let spillDirectory else {
            let batch = try CIFARBatch(bytes: FileIO.read(path), name: path, variant: variant)
            return ImageDataset(height: 32, width: 32, channels: 3, pixels: batch.pixels, labels: batch.labels,
                                classNames: fine, coarseLabels: batch.coarseLabels, coarseClassNames: coarse)
        }
        let file = try SpillFile(directory: spillDirectory)
        let labels = try Self.spill(file: path, variant: variant, into: file, chunkBytes: chunkBytes)
        return ImageDataset(height: 32, width: 32, channels: 3, storage: PixelStorage(mapping: try file.mapped(), offset: 0, count: file.count),
                            labels: labels.fine, classNames: fine, coarseLabels: labels.coarse, coarseClassNames: coarse)
    }
}
