/// Raw-deflate decoding of one zip member into a buffer of exactly its declared size.
///
/// The declared size was already checked against the limits, so the allocation is bounded; the
/// data must then produce exactly that many bytes. Producing more is detected by a one-byte
/// probe once the buffer is full, so a header that understates the size cannot overrun it.
enum ZipInflater {
    static func inflate(_ file: ReadOnlyFile, range: Range<Int>, expectedSize: Int, name: String) throws -> [UInt8] {
        let stream = try InflateStream(.raw, path: name)
        let input = FileInput(file, range: range)
        var consumedChunks = 0
        var chunkCount = 0
        func compressedOffset() -> Int { range.lowerBound + consumedChunks + chunkCount - stream.availableInput }
        func corrupt(_ reason: String) -> DataPrepError { .corrupt(path: name, offset: compressedOffset(), reason: reason) }

        var produced = 0
        let bytes = try [UInt8](unsafeUninitializedCapacity: expectedSize) { buffer, count in
            defer { count = produced }
            var probe: UInt8 = 0
            while true {
                if stream.availableInput == 0 {
                    consumedChunks += chunkCount
                    let chunk = try input.nextChunk()
                    chunkCount = chunk.count
                    guard let base = chunk.baseAddress, chunk.count > 0 else {
                        throw corrupt("deflate data ends before its end marker")
                    }
                    stream.setInput(base, count: chunk.count)
                }
                let (n, step): (Int, InflateStream.Step)
                if produced < expectedSize {
                    (n, step) = try stream.inflate(into: buffer.baseAddress! + produced, capacity: expectedSize - produced,
                                                   compressedOffset: compressedOffset)
                } else {
                    (n, step) = try withUnsafeMutableBytes(of: &probe) {
                        try stream.inflate(into: $0.baseAddress!, capacity: 1, compressedOffset: compressedOffset)
                    }
                    if n > 0 { throw corrupt("inflates to more than the \(expectedSize) bytes its header declares") }
                }
                produced += n
                if step == .streamEnd { break }
                if step == .needsInput, stream.availableInput > 0 { throw corrupt("zlib made no progress on available input") }
            }
        }
        guard produced == expectedSize else {
            throw DataPrepError.corrupt(path: name, offset: range.lowerBound,
                                        reason: "inflates to \(produced) bytes but its header declares \(expectedSize)")
        }
        return bytes
    }
}
