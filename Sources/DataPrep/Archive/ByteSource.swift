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
    let file: ReadOnlyFile
    /// Where the next read starts (settable: libarchive's zip reader seeks).
    var offset: Int

    /// Reads `file` from `offset` on.
    init(_ file: ReadOnlyFile, from offset: Int = 0) {
        self.file = file
        self.offset = offset
    }

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
