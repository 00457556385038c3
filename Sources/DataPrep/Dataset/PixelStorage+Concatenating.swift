extension PixelStorage {
    /// `parts` end to end as one storage, copying as little as possible: windows of one mapping
    /// that already lie end to end are joined without a copy (`contiguous`); otherwise, with
    /// `spillDirectory`, the parts are appended `chunkBytes` at a time to an unlinked spill file
    /// there and mapped back, so anonymous memory holds one chunk whatever their size; without
    /// it they are copied into one array. The bytes are the same either way.
    ///
    /// Why: `split --from train,test` of a source whose splits do not lie end to end, e.g. two
    /// mapped `x.npy` files, would otherwise copy every pixel into memory.
    public static func concatenating(_ parts: [PixelStorage], spillingInto spillDirectory: String?,
                                     chunkBytes: Int = SpillFile.defaultChunkBytes) throws -> PixelStorage {
        if let joined = contiguous(parts) { return joined }
        guard let spillDirectory else { return PixelStorage(parts.flatMap(\.bytes)) }
        let spill = try SpillFile(directory: spillDirectory)
        for part in parts {
            try part.withUnsafeBufferPointer { bytes in
                var start = 0
                while start < bytes.count {
                    let end = min(bytes.count, start + max(1, chunkBytes))
                    try spill.append(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[start..<end]))
                    start = end
                }
            }
        }
        return PixelStorage(mapping: try spill.mapped(), offset: 0, count: spill.count)
    }
}
