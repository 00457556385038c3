#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Size and nesting limits checked on every JSON document we read (`dataset.json`,
/// `checkpoint.json`, pipeline and model files, safetensors headers) before Foundation sees it.
///
/// Foundation's decoders recurse once per `[` or `{` and build the whole object tree in memory,
/// so a 20 KB file of `[[[[…` or a multi-gigabyte "config" would exhaust the stack or the heap
/// instead of failing. Our own documents are a few kilobytes and nest at most six levels, so the
/// defaults (16 MiB, depth 64) leave plenty of room for real files while refusing hostile ones
/// with `DataPrepError.limitExceeded` naming the file.
///
/// The depth pre-scan is one linear pass over the bytes that skips string contents (and the
/// character after each backslash inside a string), so brackets inside names never count. It
/// does not validate the JSON: that is the decoder's job once the document is known to be small.
public struct JSONInputLimits: Sendable, Equatable {
    /// Largest document accepted, in bytes.
    public var maxBytes: Int
    /// Deepest nesting of arrays and objects accepted (`[]` alone is depth 1).
    public var maxDepth: Int

    public init(maxBytes: Int = 16 << 20, maxDepth: Int = 64) {
        precondition(maxBytes >= 0 && maxDepth >= 1, "JSONInputLimits: maxBytes \(maxBytes) and maxDepth \(maxDepth) must be non-negative and positive")
        self.maxBytes = maxBytes
        self.maxDepth = maxDepth
    }

    /// 16 MiB, depth 64.
    public static let standard = JSONInputLimits()

    /// Reads the JSON file at `path`, refusing it by its size (from `stat`, before reading a
    /// byte) and by its nesting depth.
    /// - Throws: `DataPrepError.limitExceeded`, or `.io` when it cannot be read.
    public func read(_ path: String) throws -> [UInt8] {
        let size = try FileIO.size(path)
        guard size <= maxBytes else {
            throw DataPrepError.limitExceeded(path: path, what: "JSON document size (bytes)", limit: maxBytes, found: size)
        }
        let bytes = try FileIO.read(path)
        try check(bytes, path: path)
        return bytes
    }

    /// Checks bytes already in memory; `path` names them in the error.
    /// - Throws: `DataPrepError.limitExceeded` for a document over `maxBytes` or nested deeper
    ///   than `maxDepth` (its `what` gives the byte offset of the first bracket too deep).
    /// - Complexity: O(n), no allocation.
    public func check<Bytes: Collection>(_ bytes: Bytes, path: String) throws(DataPrepError) where Bytes.Element == UInt8 {
        guard bytes.count <= maxBytes else {
            throw .limitExceeded(path: path, what: "JSON document size (bytes)", limit: maxBytes, found: bytes.count)
        }
        // Contiguous storage ([UInt8], ArraySlice, Data) scans without per-byte indexing overhead.
        let tooDeep: Int? = bytes.withContiguousStorageIfAvailable { firstTooDeep(in: $0) } ?? firstTooDeep(in: bytes)
        if let offset = tooDeep {
            throw .limitExceeded(path: path, what: "JSON nesting depth (at byte offset \(offset))", limit: maxDepth, found: maxDepth + 1)
        }
    }

    /// The offset of the first `[` or `{` that opens level `maxDepth + 1`, or nil.
    private func firstTooDeep<Bytes: Sequence>(in bytes: Bytes) -> Int? where Bytes.Element == UInt8 {
        var depth = 0, inString = false, escaped = false
        for (offset, byte) in bytes.enumerated() {
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth > maxDepth { return offset }
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            default: break
            }
        }
        return nil
    }
}
