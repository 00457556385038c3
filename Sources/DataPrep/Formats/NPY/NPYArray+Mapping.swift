/// Reading a `.npy` file in place: the file is mapped, its header validated exactly as
/// `init(bytes:name:)` does, and its data handed out as a window of the mapping.
extension NPYArray {
    /// The dtype, shape and data of the `.npy` file at `path`, without copying the data.
    ///
    /// The data bytes are `PixelStorage` over the mapping, whatever the dtype (little-endian
    /// elements, as stored). No size cap beyond the file's own: a header cannot claim more data
    /// than the file holds, and a mapping costs page cache, not process memory.
    /// - Throws: `DataPrepError` naming `path`: `.io` when it cannot be opened or mapped, and
    ///   the header errors of `init(bytes:name:)` (magic, version, dtype, order, shape, byte count).
    public static func mapped(_ path: String) throws -> (dtype: DType, shape: [Int], data: PixelStorage) {
        let file = try MappedFile(path: path)
        let found = try file.withUnsafeBytes { bytes in try NPYArray.layout(of: bytes, name: path) }
        return (found.dtype, found.shape, PixelStorage(mapping: file, offset: found.dataStart, count: file.count - found.dataStart))
    }
}
