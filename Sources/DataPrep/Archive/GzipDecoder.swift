/// Incremental gunzip: multi-member files, trailing zero padding, and a bounded output size.
///
/// `read(into:)` inflates straight into the caller's buffer (no staging copy), so the cost is
/// zlib's own. It returns fewer bytes than asked only at the end of the data; `end` then says
/// whether the input ended cleanly after a complete member or was cut off (`.truncated`), which
/// callers report in their own terms (gzip file vs. tar member).
///
/// Multi-member files (`cat a.gz b.gz`, pigz, bgzip) decode as the concatenation of their
/// members, as `gzip -d` does. Zero bytes after the last member (tape padding) are ignored, like
/// gzip; any other trailing data is an error rather than a silent guess.
final class GzipDecoder {
    enum End: Equatable { case open, clean, truncated }

    private let stream: InflateStream
    private let input: CompressedInput
    private let name: String
    private let limits: DecompressionLimits
    private let compressedSize: Int
    private let maxOutput: Int
    private(set) var produced = 0
    private(set) var end = End.open
    private(set) var completedMembers = 0
    private var atMemberStart = true
    private var inZeroPadding = false
    /// Compressed offset of the current chunk's first byte, and that chunk's length.
    private var chunkStart = 0
    private var chunkCount = 0
    /// Where skipped bytes are inflated to, allocated on first use.
    private var skipBuffer: UnsafeMutableRawBufferPointer?

    /// - Parameters:
    ///   - compressedSize: the whole input's size, for the expansion-ratio limit.
    init(input: CompressedInput, name: String, compressedSize: Int, limits: DecompressionLimits) throws {
        stream = try InflateStream(.gzip, path: name)
        self.input = input
        self.name = name
        self.limits = limits
        self.compressedSize = compressedSize
        maxOutput = limits.maxOutput(forCompressed: compressedSize)
    }

    deinit { skipBuffer?.deallocate() }

    /// Offset in the compressed input of the next byte zlib will read.
    var compressedOffset: Int { chunkStart + chunkCount - stream.availableInput }

    /// Fills `dest` with decompressed bytes; fewer only at the end of the data (see `end`).
    /// - Throws: `.corrupt` (bad data, CRC, trailing garbage), `.limitExceeded` before producing
    ///   a byte beyond the limit.
    func read(into dest: UnsafeMutableRawBufferPointer) throws -> Int {
        var written = 0
        while written < dest.count, end == .open {
            if stream.availableInput == 0 {
                guard try refill() else {
                    end = atMemberStart && completedMembers > 0 ? .clean : .truncated
                    break
                }
            }
            if atMemberStart, completedMembers > 0 {
                try consumeBetweenMembers()
                if inZeroPadding { continue }
            }
            atMemberStart = false
            let allowance = maxOutput - produced
            if allowance == 0 {
                try probePastLimit()
                continue
            }
            let (n, step) = try stream.inflate(
                into: dest.baseAddress! + written, capacity: min(dest.count - written, allowance),
                compressedOffset: { compressedOffset })
            written += n
            produced += n
            switch step {
            case .streamEnd:
                completedMembers += 1
                atMemberStart = true
            case .needsInput where stream.availableInput > 0:
                throw DataPrepError.corrupt(path: name, offset: compressedOffset, reason: "zlib made no progress on available input")
            case .needsInput, .more:
                break
            }
        }
        return written
    }

    /// Reads and discards up to `count` bytes; fewer only at the end of the data.
    func skip(_ count: Int) throws -> Int {
        if count == 0 { return 0 }
        let scratch = skipBuffer ?? UnsafeMutableRawBufferPointer.allocate(byteCount: 256 << 10, alignment: 64)
        skipBuffer = scratch
        var skipped = 0
        while skipped < count {
            let want = min(count - skipped, scratch.count)
            let n = try read(into: UnsafeMutableRawBufferPointer(rebasing: scratch[0..<want]))
            skipped += n
            if n < want { break }
        }
        return skipped
    }

    private func refill() throws -> Bool {
        chunkStart += chunkCount
        let chunk = try input.nextChunk()
        chunkCount = chunk.count
        guard let base = chunk.baseAddress, chunk.count > 0 else { return false }
        stream.setInput(base, count: chunk.count)
        return true
    }

    /// After a member: zero padding is skipped to the end; a gzip magic byte starts the next
    /// member; anything else is trailing garbage.
    private func consumeBetweenMembers() throws {
        guard let next = stream.zs.pointee.next_in else { return }
        let available = stream.availableInput
        if !inZeroPadding {
            if next[0] == 0x1f {
                stream.reset()
                return
            }
            guard next[0] == 0 else { throw trailingData(at: compressedOffset) }
            inZeroPadding = true
        }
        for i in 0..<available where next[i] != 0 {
            throw trailingData(at: compressedOffset + i)
        }
        stream.zs.pointee.avail_in = 0
    }

    private func trailingData(at offset: Int) -> DataPrepError {
        .corrupt(path: name, offset: offset,
                 reason: "data after gzip member \(completedMembers) is neither another gzip member nor zero padding")
    }

    /// At the limit: one more byte of output means the limit is exceeded; the end of the member
    /// (or a need for input) means it is not, yet.
    private func probePastLimit() throws {
        var byte: UInt8 = 0
        let (n, step) = try withUnsafeMutableBytes(of: &byte) { probe in
            try stream.inflate(into: probe.baseAddress!, capacity: 1, compressedOffset: { compressedOffset })
        }
        if n > 0 { throw limits.exceeded(path: name, found: produced + n, compressedBytes: compressedSize) }
        if step == .streamEnd {
            completedMembers += 1
            atMemberStart = true
        }
    }
}
