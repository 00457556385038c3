/// A file's bytes in order, as stored or through gunzip (CIFAR batches, `StreamedFile`).
protocol ByteSource: AnyObject {
    /// Fills `dest`; fewer bytes only at the end of the data.
    func read(into dest: UnsafeMutableRawBufferPointer) throws -> Int
    /// Discards up to `count` bytes; fewer only at the end of the data.
    func skip(_ count: Int) throws -> Int
    /// After a short read: whether the data ended where it should (false for a cut-off gzip stream).
    var endedCleanly: Bool { get }
}

/// A plain file: reads go straight to the destination, skips just move the offset.
final class FileSource: ByteSource {
    private let file: ReadOnlyFile
    private var offset = 0

    init(_ file: ReadOnlyFile) { self.file = file }

    func read(into dest: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = try file.read(into: dest, at: offset)
        offset += n
        return n
    }

    func skip(_ count: Int) throws -> Int {
        let n = min(count, max(file.size - offset, 0))
        offset += n
        return n
    }

    var endedCleanly: Bool { true }
}

extension GzipDecoder: ByteSource {
    var endedCleanly: Bool { end == .clean }
}
