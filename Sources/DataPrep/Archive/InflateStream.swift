internal import CZlib

/// One zlib inflate state, kept at a fixed heap address.
///
/// zlib stores a back-pointer to its `z_stream` and rejects calls made through a moved copy, so
/// the stream lives in memory this class owns rather than in a Swift struct (which may move).
/// Callers point `next_in`/`next_out` at their own buffers for each call: zlib copies nothing
/// through intermediate buffers of ours.
final class InflateStream {
    enum Format {
        /// RFC 1952 gzip member: header, deflate data, CRC-32 and length trailer checked by zlib.
        case gzip
        /// Bare RFC 1951 deflate data, as stored in zip members.
        case raw

        var windowBits: Int32 { self == .gzip ? 15 + 16 : -15 }
    }

    enum Step {
        /// Progress was made (or the output is full); call again.
        case more
        /// The member or raw stream ended, trailer verified.
        case streamEnd
        /// Nothing can happen without more input.
        case needsInput
    }

    let zs: UnsafeMutablePointer<z_stream>
    private let path: String

    init(_ format: Format, path: String) throws {
        self.path = path
        zs = .allocate(capacity: 1)
        zs.initialize(to: z_stream())
        let status = inflateInit2_(zs, format.windowBits, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            zs.deallocate()
            throw DataPrepError.io(path: path, reason: "zlib inflateInit2 failed with status \(status)")
        }
    }

    deinit {
        inflateEnd(zs)
        zs.deallocate()
    }

    /// Prepares for the next gzip member, keeping the allocated window.
    func reset() { inflateReset(zs) }

    var availableInput: Int { Int(zs.pointee.avail_in) }

    /// Points zlib at the next compressed bytes (at most 4 GiB - 1 per call: `avail_in` is 32-bit).
    func setInput(_ base: UnsafeRawPointer, count: Int) {
        precondition(count <= Int(UInt32.max), "inflate input chunk too large: \(count)")
        zs.pointee.next_in = UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: UInt8.self))
        zs.pointee.avail_in = UInt32(count)
    }

    /// Inflates into `dest` (at most 4 GiB - 1 of it); returns bytes written and what comes next.
    /// - Throws: `.corrupt` with zlib's message (bad data, CRC or length mismatch).
    func inflate(into dest: UnsafeMutableRawPointer, capacity: Int, compressedOffset: () -> Int) throws -> (written: Int, step: Step) {
        let room = UInt32(min(capacity, Int(UInt32.max)))
        zs.pointee.next_out = dest.assumingMemoryBound(to: UInt8.self)
        zs.pointee.avail_out = room
        let status = CZlib.inflate(zs, Z_NO_FLUSH)
        let written = Int(room - zs.pointee.avail_out)
        switch status {
        case Z_OK:
            return (written, .more)
        case Z_STREAM_END:
            return (written, .streamEnd)
        case Z_BUF_ERROR:
            // No progress: zlib needs input (the output had room), or the output was full.
            return (written, room == 0 ? .more : .needsInput)
        case Z_MEM_ERROR:
            throw DataPrepError.io(path: path, reason: "zlib ran out of memory")
        default:
            throw DataPrepError.corrupt(path: path, offset: compressedOffset(), reason: describe(status))
        }
    }

    private func describe(_ status: Int32) -> String {
        let message = zs.pointee.msg.map { String(cString: $0) } ?? "status \(status)"
        switch message {
        case "incorrect data check":
            return "zlib: \(message) (the CRC-32 in the gzip trailer does not match the data: the file is damaged)"
        case "incorrect length check":
            return "zlib: \(message) (the length in the gzip trailer does not match the data: the file is damaged)"
        case "incorrect header check", "unknown compression method":
            return "zlib: \(message) (not a gzip member)"
        default:
            return "zlib: \(message)"
        }
    }
}
