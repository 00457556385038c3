/// The pixel bytes of an `ImageDataset`: an array in the process's memory, or a window of a
/// read-only mapped file (the data of a split output's `x.npy`).
///
/// A mapped dataset reads through the page cache: `train`, `evaluate`, `explain`, `info` and
/// `augment preview` on a split output hold no copy of its pixels in anonymous memory, so their
/// resident set no longer grows with the dataset. Both backings answer the same questions and
/// compare equal when their bytes are equal; hot loops go through `withUnsafeBufferPointer`,
/// which never copies.
public struct PixelStorage: Sendable {
    private enum Backing: Sendable {
        case array([UInt8])
        /// `count` bytes of `file` from `offset`.
        case mapped(MappedFile, offset: Int, count: Int)
    }

    private var backing: Backing

    /// Storage owning `bytes`.
    public init(_ bytes: [UInt8]) { backing = .array(bytes) }

    /// Storage reading `count` bytes of `file` from `offset` in place.
    public init(mapping file: MappedFile, offset: Int, count: Int) {
        precondition(offset >= 0 && count >= 0 && offset + count <= file.count,
                     "PixelStorage window \(offset)+\(count) outside \(file.path) of \(file.count) bytes")
        backing = .mapped(file, offset: offset, count: count)
    }

    public var count: Int {
        switch backing {
        case let .array(bytes): return bytes.count
        case let .mapped(_, _, count): return count
        }
    }

    /// True when the bytes live in a mapped file rather than in the process's own memory.
    public var isMapped: Bool {
        if case .mapped = backing { return true }
        return false
    }

    /// Calls `body` with the bytes, in place (valid only during the call).
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        switch backing {
        case let .array(bytes):
            return try bytes.withUnsafeBufferPointer(body)
        case let .mapped(file, offset, count):
            return try file.withUnsafeBytes { raw in
                try body(UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + count)]).bindMemory(to: UInt8.self))
            }
        }
    }

    /// The bytes as an array: the stored one, or a copy of the mapped window.
    /// - Complexity: O(1) for an array backing, O(count) (and `count` bytes of memory) for a mapped one.
    public var bytes: [UInt8] {
        switch backing {
        case let .array(bytes): return bytes
        case .mapped: return withUnsafeBufferPointer { Array($0) }
        }
    }

    /// A copy of bytes `range`.
    public func copy(_ range: Range<Int>) -> [UInt8] {
        withUnsafeBufferPointer { Array($0[range]) }
    }
}

extension PixelStorage: Equatable {
    public static func == (lhs: PixelStorage, rhs: PixelStorage) -> Bool {
        guard lhs.count == rhs.count else { return false }
        return lhs.withUnsafeBufferPointer { a in rhs.withUnsafeBufferPointer { b in a.elementsEqual(b) } }
    }
}

extension PixelStorage {
    /// `parts` laid end to end as one storage without copying, when they are consecutive
    /// windows of one mapped file (the splits of a collection spilled in order); nil otherwise.
    public static func contiguous(_ parts: [PixelStorage]) -> PixelStorage? {
        guard case let .mapped(file, start, _)? = parts.first?.backing else { return nil }
        var end = start
        for part in parts {
            guard case let .mapped(other, offset, count) = part.backing, other === file, offset == end else { return nil }
            end += count
        }
        return PixelStorage(mapping: file, offset: start, count: end - start)
    }
}
