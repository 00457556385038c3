extension PixelStorage {
    /// `parts` end to end as one storage, copying as little as possible: windows of one mapping
    /// that already lie end to end are joined without a copy (`contiguous`); otherwise, with
    /// `spillDirectory`, the parts are appended to an unlinked spill file there and mapped back
    /// (mapped parts are copied file to file, through the page cache: no anonymous memory
    /// whatever their size); without it they are copied into one array. The bytes are the same
    /// either way.
    ///
    /// Why: `split --from train,test` of a source whose splits do not lie end to end, e.g. two
    /// mapped `x.npy` files, would otherwise copy every pixel into memory.
    public static func concatenating(_ parts: [PixelStorage], spillingInto spillDirectory: String?) throws -> PixelStorage {
        if let joined = contiguous(parts) { return joined }
        guard let spillDirectory else { return PixelStorage(parts.flatMap(\.bytes)) }
        let spill = try SpillFile(directory: spillDirectory)
        for part in parts {
            try part.withUnsafeBufferPointer { try spill.append(UnsafeRawBufferPointer($0)) }
        }
        return PixelStorage(mapping: try spill.mapped(), offset: 0, count: spill.count)
    }
}
