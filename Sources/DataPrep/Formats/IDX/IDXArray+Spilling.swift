extension IDXArray {
    /// Streams the IDX file at `path` (raw or gzip, by magic) into `spill` without holding it:
    /// the header is checked from the first bytes, then the payload is appended `chunkBytes` at
    /// a time and the total size checked exactly, with the errors of `init(contentsOf:)`.
    ///
    /// Only a uint8 payload is appended (images); any other type is read past to check its
    /// size, and the caller refuses it. A header error in a gzip file is reported after the
    /// rest of the file is gunzipped, so a corrupt stream is still named as such first, as when
    /// the whole file was decompressed before decoding.
    /// - Returns: the header; the payload is `spill`'s last `header.payloadBytes` bytes when uint8.
    static func spill(contentsOf path: String, into spill: SpillFile, chunkBytes: Int = SpillFile.defaultChunkBytes) throws -> IDXHeader {
        let file = try StreamedFile(path: path)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(chunkBytes, StreamedFile.headBytes), alignment: 64)
        defer { buffer.deallocate() }
        var n = try file.read(into: buffer)
        let header: IDXHeader
        do {
            header = try IDXHeader(prefix: Array(buffer[0..<min(n, StreamedFile.headBytes)]), name: path)
        } catch {
            _ = try file.drain()
            throw error
        }
        let keep = header.dataType == .uint8
        var total = 0  // file bytes before buffer[0]
        while true {
            if keep {
                let low = max(total, header.size), high = min(total + n, header.fileSize)
                if low < high { try spill.append(UnsafeRawBufferPointer(rebasing: buffer[(low - total)..<(high - total)])) }
            }
            total += n
            if n < buffer.count { break }
            if total >= header.fileSize {
                total += try file.drain()
                break
            }
            n = try file.read(into: buffer)
        }
        try header.checkSize(total, name: path)
        return header
    }
}
