/// A file read front to back in pieces, gunzipped on the fly when it starts with `1f 8b`: the
/// streaming counterpart of `CompressedFile.read`, with its checks and errors.
///
/// Why: a decoder that writes what it decodes straight into a `SpillFile` must never hold the
/// whole (decompressed) file; this hands it one buffer at a time. Gzip errors (corrupt data,
/// CRC, a cut-off stream) surface from `read(into:)` as `CompressedFile.read` reports them.
final class StreamedFile {
    let path: String
    /// The first bytes of the file as stored (up to `headBytes`), for magic checks and hints.
    let head: [UInt8]
    private let source: ByteSource
    private let gzip: GzipDecoder?
    private let storedSize: Int

    /// Enough for every magic check and hint (`ContentSniffer` looks 262 bytes in).
    static let headBytes = 1024

    /// Opens `path`.
    /// - Throws: `.io`, `.emptyFile`, `.wrongMagic` (an HTML page saved as `.gz`), as `CompressedFile.read`.
    init(path: String, limits: DecompressionLimits = .default) throws {
        let file = try ReadOnlyFile(path: path)
        guard file.size > 0 else { throw DataPrepError.emptyFile(path: path) }
        self.path = path
        storedSize = file.size
        head = try file.bytes(at: 0, count: min(file.size, Self.headBytes))
        if Gzip.isGzip(head) {
            let decoder = try GzipDecoder(input: FileInput(file), name: path, compressedSize: file.size, limits: limits)
            gzip = decoder
            source = decoder
        } else {
            if CompressedFile.isGzipName(path), ContentSniffer.looksLikeHTML(head) {
                throw DataPrepError.wrongMagic(path: path, expected: "1f 8b (gzip)", found: head.hexPrefix(),
                                               hint: ContentSniffer.hint(for: head))
            }
            gzip = nil
            source = FileSource(file)
        }
    }

    /// Fills `dest` with the next (decompressed) bytes; fewer only at the end of the data.
    /// - Throws: gzip's `.corrupt` / `.limitExceeded`, and `.truncated` when the gzip stream is
    ///   cut off (`expected` one byte more than the file, as `Gzip.decompress` says).
    func read(into dest: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = try source.read(into: dest)
        if n < dest.count, let gzip, gzip.end == .truncated {
            throw DataPrepError.truncated(path: path, expected: storedSize + 1, found: storedSize)
        }
        return n
    }

    /// Reads and discards the rest; returns how many bytes that was.
    func drain() throws -> Int {
        var total = 0
        while true {
            let n = try source.skip(1 << 20)
            total += n
            if n < 1 << 20 { break }
        }
        if let gzip, gzip.end == .truncated {
            throw DataPrepError.truncated(path: path, expected: storedSize + 1, found: storedSize)
        }
        return total
    }
}
