/// The tar stream's bytes in order, from a plain file or through gunzip.
protocol ByteSource: AnyObject {
    /// Fills `dest`; fewer bytes only at the end of the data.
    func read(into dest: UnsafeMutableRawBufferPointer) throws -> Int
    /// Discards up to `count` bytes; fewer only at the end of the data.
    func skip(_ count: Int) throws -> Int
    /// After a short read: whether the data ended where it should (false for a cut-off gzip stream).
    var endedCleanly: Bool { get }
}

/// A plain `.tar`: reads go straight to the destination, skips just move the offset.
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

/// A read-ahead buffer between the tar parser and its source, counting the stream offset.
///
/// Headers and small members are served from one 256 KiB buffer (one source call per many
/// members); reads at least that large bypass it and land directly in the caller's memory, so a
/// 30 MB CIFAR batch is inflated straight into its final array.
final class TarStream {
    private let source: ByteSource
    private let buffer: UnsafeMutableRawBufferPointer
    private var start = 0
    private var end = 0
    private var sourceEnded = false
    /// Bytes consumed so far: the offset of the next byte in the (uncompressed) tar stream.
    private(set) var offset = 0

    init(source: ByteSource, bufferSize: Int = 256 << 10) {
        self.source = source
        buffer = .allocate(byteCount: bufferSize, alignment: 64)
    }

    deinit { buffer.deallocate() }

    var endedCleanly: Bool { source.endedCleanly }

    /// Fills `dest`; fewer bytes only at the end of the stream.
    func read(into dest: UnsafeMutableRawBufferPointer) throws -> Int {
        var done = takeBuffered(into: dest)
        while done < dest.count, !sourceEnded {
            let rest = UnsafeMutableRawBufferPointer(rebasing: dest[done...])
            if rest.count >= buffer.count {
                let n = try source.read(into: rest)
                if n < rest.count { sourceEnded = true }
                done += n
            } else {
                try refill()
                done += takeBuffered(into: rest)
            }
        }
        offset += done
        return done
    }

    /// Discards up to `count` bytes; fewer only at the end of the stream.
    func skip(_ count: Int) throws -> Int {
        var done = min(count, end - start)
        start += done
        if done < count, !sourceEnded {
            let n = try source.skip(count - done)
            if n < count - done { sourceEnded = true }
            done += n
        }
        offset += done
        return done
    }

    private func takeBuffered(into dest: UnsafeMutableRawBufferPointer) -> Int {
        let n = min(dest.count, end - start)
        if n > 0 {
            dest.baseAddress!.copyMemory(from: buffer.baseAddress! + start, byteCount: n)
            start += n
        }
        return n
    }

    private func refill() throws {
        let n = try source.read(into: buffer)
        if n < buffer.count { sourceEnded = true }
        start = 0
        end = n
    }
}
