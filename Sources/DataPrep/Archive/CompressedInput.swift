/// Where a decoder's compressed bytes come from, one chunk at a time.
///
/// A chunk stays valid until the next `nextChunk()` call; an empty chunk means the input ended.
protocol CompressedInput: AnyObject {
    func nextChunk() throws -> UnsafeRawBufferPointer
}

/// All of an in-memory buffer, handed out in pieces zlib's 32-bit `avail_in` can take.
/// The caller keeps `base` alive (a `withUnsafeBytes` scope) while the decoder runs.
final class MemoryInput: CompressedInput {
    private let base: UnsafeRawBufferPointer
    private var offset = 0
    private static let piece = 1 << 30

    init(_ base: UnsafeRawBufferPointer) { self.base = base }

    func nextChunk() throws -> UnsafeRawBufferPointer {
        let count = min(Self.piece, base.count - offset)
        guard count > 0 else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        defer { offset += count }
        return UnsafeRawBufferPointer(rebasing: base[offset..<offset + count])
    }
}

/// A byte range of a file read front to back in 1 MiB chunks: big enough that syscalls cost
/// nothing next to inflate (CIFAR-10's 162 MB tarball is 155 reads), small enough to stay in cache.
final class FileInput: CompressedInput {
    private let file: ReadOnlyFile
    private var offset: Int
    private let end: Int
    private let buffer: UnsafeMutableRawBufferPointer

    /// Reads `range` of `file` (all of it by default); the range is clamped to the file.
    init(_ file: ReadOnlyFile, range: Range<Int>? = nil, chunkSize: Int = 1 << 20) {
        self.file = file
        offset = range?.lowerBound ?? 0
        end = min(range?.upperBound ?? file.size, file.size)
        buffer = .allocate(byteCount: max(1, min(chunkSize, end - offset)), alignment: 64)
    }

    deinit { buffer.deallocate() }

    func nextChunk() throws -> UnsafeRawBufferPointer {
        let want = min(buffer.count, end - offset)
        guard want > 0 else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        let n = try file.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<want]), at: offset)
        offset += n
        return UnsafeRawBufferPointer(rebasing: buffer[0..<n])
    }
}
