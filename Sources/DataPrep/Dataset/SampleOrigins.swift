/// Where each sample of one split came from (`LoadedDataset.origins`, the manifest's `source`
/// column), without one heap `String` per sample.
///
/// Why: held as `[String]`, a photo's full display path cost ~100 bytes of heap (a string of
/// 45 bytes is too long to be stored inline), which with the hex digests and the manifest rows
/// made `split`'s memory grow ~1.3 KB per photo. Here a collection's split is one shared prefix
/// (`folder/` or `archive.zip:`) and the relative paths laid end to end in one byte buffer
/// (~the path's length plus 8 bytes per sample); an array format's split is `prefix#record`,
/// computed on demand from the record number. Strings exist only while a row is written.
public struct SampleOrigins: RandomAccessCollection, Equatable, Sendable {
    private enum Names: Equatable, Sendable {
        /// `prefix#n` for the record numbers `numbers` (nil: `0..<count`).
        case records(count: Int, numbers: [Int]?)
        /// `prefix + path`, path `i` being `bytes[ends[i-1]..<ends[i]]` (UTF-8).
        case paths(bytes: [UInt8], ends: [Int])
    }

    /// What every origin starts with (for records, before the `#`).
    public let prefix: String
    private let names: Names

    /// `prefix#0`, `prefix#1`, … `prefix#(count-1)`: the records of an array file.
    public init(records prefix: String, count: Int) {
        precondition(count >= 0, "negative record count \(count)")
        self.prefix = prefix
        names = .records(count: count, numbers: nil)
    }

    /// `prefix + path` for each of `paths`, in order.
    public init<S: Sequence>(prefix: String, paths: S) where S.Element == String {
        var bytes: [UInt8] = [], ends: [Int] = []
        ends.reserveCapacity(paths.underestimatedCount)
        for path in paths {
            bytes.append(contentsOf: path.utf8)
            ends.append(bytes.count)
        }
        self.init(prefix: prefix, bytes: bytes, ends: ends)
    }

    /// The origins `strings` as given (no shared prefix).
    public init(_ strings: [String]) { self.init(prefix: "", paths: strings) }

    private init(prefix: String, bytes: [UInt8], ends: [Int]) {
        self.prefix = prefix
        names = .paths(bytes: bytes, ends: ends)
    }

    private init(prefix: String, numbers: [Int]) {
        self.prefix = prefix
        names = .records(count: numbers.count, numbers: numbers)
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int {
        switch names {
        case let .records(count, _): return count
        case let .paths(_, ends): return ends.count
        }
    }

    /// The origin of sample `i`, built now.
    public subscript(i: Int) -> String {
        switch names {
        case let .records(count, numbers):
            precondition(i >= 0 && i < count, "origin \(i) outside \(count) samples")
            return prefix + "#" + String(numbers?[i] ?? i)
        case let .paths(bytes, ends):
            let start = i == 0 ? 0 : ends[i - 1]
            return prefix + String(decoding: bytes[start..<ends[i]], as: UTF8.self)
        }
    }

    /// The origins at `indices`, in that order (what `ImageDataset.gathering` does to pixels).
    public func gathering(_ indices: [Int]) -> SampleOrigins {
        switch names {
        case let .records(_, numbers):
            return SampleOrigins(prefix: prefix, numbers: indices.map { numbers?[$0] ?? $0 })
        case let .paths(bytes, ends):
            var out: [UInt8] = [], outEnds: [Int] = []
            outEnds.reserveCapacity(indices.count)
            for i in indices {
                out.append(contentsOf: bytes[(i == 0 ? 0 : ends[i - 1])..<ends[i]])
                outEnds.append(out.count)
            }
            return SampleOrigins(prefix: prefix, bytes: out, ends: outEnds)
        }
    }

    /// `parts` end to end (pooling a source's splits): one shared prefix when they all have
    /// the same one and hold paths; otherwise each origin spelled out whole.
    public static func concatenating(_ parts: [SampleOrigins]) -> SampleOrigins {
        guard let first = parts.first else { return SampleOrigins([]) }
        if parts.count == 1 { return first }
        var bytes: [UInt8] = [], ends: [Int] = []
        ends.reserveCapacity(parts.reduce(0) { $0 + $1.count })
        let shared = parts.allSatisfy { part in
            if case .paths = part.names { return part.prefix == first.prefix }
            return false
        }
        for part in parts {
            if shared, case let .paths(partBytes, partEnds) = part.names {
                let base = bytes.count
                bytes += partBytes
                ends += partEnds.map { base + $0 }
            } else {
                for origin in part {
                    bytes.append(contentsOf: origin.utf8)
                    ends.append(bytes.count)
                }
            }
        }
        return SampleOrigins(prefix: shared ? first.prefix : "", bytes: bytes, ends: ends)
    }

    /// Equal when every origin reads the same, however it is stored.
    public static func == (lhs: SampleOrigins, rhs: SampleOrigins) -> Bool {
        if lhs.prefix == rhs.prefix && lhs.names == rhs.names { return true }
        return lhs.elementsEqual(rhs)
    }
}
