/// gzip files (RFC 1952), including multi-member files, decoded in memory through zlib.
public enum Gzip {
    /// Whether `bytes` start with the gzip magic `1f 8b`.
    public static func isGzip(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b
    }

    /// The decompressed contents of a whole gzip file.
    ///
    /// When the file is one member under 4 GiB, its trailer's ISIZE is the exact output size, so
    /// the output is allocated once and zlib inflates straight into it (MNIST's 47 MB
    /// train-images: one allocation, no copies). Otherwise the buffer grows geometrically. The
    /// trailer is only a hint: it is used when it fits the limits, and zlib still checks it.
    /// - Parameter name: the path errors should name.
    /// - Throws: `.emptyFile`; `.wrongMagic` (with a hint for HTML pages saved as `.gz`);
    ///   `.corrupt` with zlib's message (bad data, CRC or length mismatch, trailing garbage);
    ///   `.truncated` when the input stops mid-member (`expected` is then a lower bound, one byte
    ///   more, since gzip does not record its compressed length); `.limitExceeded` before the
    ///   output grows past `limits`.
    public static func decompress(_ bytes: [UInt8], name: String, limits: DecompressionLimits = .default) throws -> [UInt8] {
        guard !bytes.isEmpty else { throw DataPrepError.emptyFile(path: name) }
        guard isGzip(bytes) else {
            throw DataPrepError.wrongMagic(path: name, expected: "1f 8b (gzip)", found: bytes.hexPrefix(),
                                           hint: ContentSniffer.hint(for: bytes))
        }
        let maxOutput = limits.maxOutput(forCompressed: bytes.count)
        let capacity = initialCapacity(bytes, maxOutput: maxOutput)
        if bytes.count >= 18, capacity == Int(bytes.littleEndianUInt32(at: bytes.count - 4)),
           let output = fastDecompress(bytes, expectedSize: capacity) {
            return output
        }
        return try bytes.withUnsafeBytes { input in
            let decoder = try GzipDecoder(input: MemoryInput(input), name: name, compressedSize: bytes.count, limits: limits)
            let output = try drain(decoder, initialCapacity: capacity, maxOutput: maxOutput)
            if decoder.end == .truncated {
                throw DataPrepError.truncated(path: name, expected: bytes.count + 1, found: bytes.count)
            }
            return output
        }
    }

    /// `bytes` as a single-member gzip file.
    ///
    /// Deterministic: mtime 0, no file name, XFL 0, OS byte 3 (Unix, as `gzip -n` writes on
    /// Linux) whatever the platform (zlib's own gzip writer would stamp its build's OS code).
    public static func compress(_ bytes: [UInt8], level: Int32 = 6) throws -> [UInt8] {
        var output: [UInt8] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]
        try output.append(contentsOf: Deflate.raw(bytes, level: level))
        appendLittleEndian(crc32(bytes), to: &output)
        appendLittleEndian(UInt32(truncatingIfNeeded: bytes.count), to: &output)
        return output
    }

    /// The trailer's ISIZE when it is a plausible exact size (nonzero, within the limit and
    /// within deflate's 1032:1 maximum), else a guess of 4x the input.
    private static func initialCapacity(_ bytes: [UInt8], maxOutput: Int) -> Int {
        let guess = min(maxOutput, max(bytes.count.multipliedReportingOverflow(by: 4).partialValue, 64 << 10))
        guard bytes.count >= 18 else { return guess }
        let isize = Int(bytes.littleEndianUInt32(at: bytes.count - 4))
        let deflateMaximum = bytes.count.multipliedReportingOverflow(by: 1032).partialValue
        return isize > 0 && isize <= maxOutput && isize <= deflateMaximum ? isize : guess
    }

    /// Everything `decoder` produces, in one buffer grown only when the output outruns it.
    ///
    /// A full buffer is followed by a small probe read, so an exact ISIZE never triggers a
    /// doubling just to discover the end of the stream.
    static func drain(_ decoder: GzipDecoder, initialCapacity: Int, maxOutput: Int) throws -> [UInt8] {
        var output: [UInt8] = []
        var capacity = max(initialCapacity, 1)
        var probe = [UInt8](repeating: 0, count: 4096)
        var probed = 0
        while true {
            var full = false
            let previous = output
            output = try [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
                let raw = UnsafeMutableRawBufferPointer(buffer)
                previous.withUnsafeBytes { raw.copyMemory(from: $0) }
                count = previous.count
                probe.withUnsafeBytes { saved in
                    UnsafeMutableRawBufferPointer(rebasing: raw[count...]).copyMemory(from: UnsafeRawBufferPointer(rebasing: saved[0..<probed]))
                }
                count += probed
                count += try decoder.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[count...]))
                full = count == raw.count
            }
            guard full, decoder.end == .open else { return output }
            probed = try probe.withUnsafeMutableBytes { try decoder.read(into: $0) }
            if probed == 0 { return output }
            let needed = output.count + probed
            // A short probe ended the stream: the exact size is known, no need to double.
            capacity = decoder.end != .open ? needed
                : max(needed, min(maxOutput, capacity.multipliedReportingOverflow(by: 2).partialValue))
        }
    }
}

func appendLittleEndian(_ value: UInt32, to bytes: inout [UInt8]) {
    bytes.append(contentsOf: [UInt8(value & 0xff), UInt8(value >> 8 & 0xff), UInt8(value >> 16 & 0xff), UInt8(value >> 24)])
}
