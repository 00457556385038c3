internal import CZlib

/// One-shot raw deflate (RFC 1951, no header or trailer) for writers: the gzip writer here and
/// the zip writer that builds fixtures (which links DataPrep but not zlib).
public enum Deflate {
    /// `bytes` deflated at `level` (0 = store … 9 = smallest; 6 is zlib's default).
    ///
    /// Output is identical for identical input, level and zlib version, which is what makes
    /// fixtures and exported archives reproducible.
    /// - Throws: `.io` only if zlib cannot allocate its state.
    public static func raw(_ bytes: [UInt8], level: Int32 = 6) throws -> [UInt8] {
        precondition((0...9).contains(level), "deflate level must be 0...9, got \(level)")
        let zs = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        zs.initialize(to: z_stream())
        defer { zs.deallocate() }
        let status = deflateInit2_(zs, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY,
                                   ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw DataPrepError.io(path: "<deflate>", reason: "zlib deflateInit2 failed with status \(status)") }
        defer { deflateEnd(zs) }

        // deflateBound is exact worst case for one Z_FINISH call; inputs over 4 GiB are fed in pieces.
        let bound = Int(deflateBound(zs, uLong(bytes.count))) + 64
        var output = [UInt8]()
        output.reserveCapacity(bound)
        try bytes.withUnsafeBytes { input in
            var offset = 0
            let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 64)
            defer { scratch.deallocate() }
            while true {
                let piece = min(input.count - offset, 1 << 30)
                zs.pointee.next_in = piece > 0
                    ? UnsafeMutablePointer(mutating: (input.baseAddress! + offset).assumingMemoryBound(to: UInt8.self)) : nil
                zs.pointee.avail_in = UInt32(piece)
                offset += piece
                let flush = offset == input.count ? Z_FINISH : Z_NO_FLUSH
                var result: Int32
                repeat {
                    zs.pointee.next_out = scratch.baseAddress!.assumingMemoryBound(to: UInt8.self)
                    zs.pointee.avail_out = UInt32(scratch.count)
                    result = deflate(zs, flush)
                    guard result == Z_OK || result == Z_STREAM_END || result == Z_BUF_ERROR else {
                        throw DataPrepError.io(path: "<deflate>", reason: "zlib deflate failed with status \(result)")
                    }
                    output.append(contentsOf: UnsafeRawBufferPointer(rebasing: scratch[0..<(scratch.count - Int(zs.pointee.avail_out))]))
                } while zs.pointee.avail_out == 0
                if flush == Z_FINISH { break }
            }
        }
        return output
    }
}

/// CRC-32 (ISO 3309, the one gzip and zip use) of `bytes`, via zlib's table-driven code.
public func crc32(_ bytes: [UInt8]) -> UInt32 {
    bytes.withUnsafeBytes { crc32(UInt32(0), $0) }
}

/// Continues `crc` over `bytes` (start from 0).
func crc32(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
    var value = uLong(crc)
    var offset = 0
    while offset < bytes.count {
        let piece = min(bytes.count - offset, 1 << 30)
        value = CZlib.crc32(value, (bytes.baseAddress! + offset).assumingMemoryBound(to: UInt8.self), uInt(piece))
        offset += piece
    }
    return UInt32(truncatingIfNeeded: value)
}
