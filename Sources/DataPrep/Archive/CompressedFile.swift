/// Files that may or may not be gzip-compressed, decided by their first bytes, not their name.
///
/// Names lie both ways: MNIST mirrors serve `train-images-idx3-ubyte.gz`, and some HTTP clients
/// transparently decompress it (`Content-Encoding: gzip`) but keep the `.gz` name; users also
/// gunzip files and keep using the old path in scripts. Decoding by magic handles all of these.
public enum CompressedFile {
    /// The contents of `path`, gunzipped when it starts with `1f 8b`, else as stored.
    ///
    /// One exception to "as stored": a file named `.gz` that is an HTML page is an error page
    /// saved in place of the download, reported here as `.wrongMagic` with that hint rather than
    /// passed on to a decoder that would only say its magic number is wrong.
    /// - Throws: `.io`, `.emptyFile`, `.wrongMagic` (HTML saved as `.gz`), and any error of
    ///   `Gzip.decompress`.
    public static func read(_ path: String, limits: DecompressionLimits = .default) throws -> [UInt8] {
        let bytes = try FileIO.read(path)
        guard !bytes.isEmpty else { throw DataPrepError.emptyFile(path: path) }
        if Gzip.isGzip(bytes) { return try Gzip.decompress(bytes, name: path, limits: limits) }
        if isGzipName(path), ContentSniffer.looksLikeHTML(bytes) {
            throw DataPrepError.wrongMagic(path: path, expected: "1f 8b (gzip)", found: bytes.hexPrefix(),
                                           hint: ContentSniffer.hint(for: bytes))
        }
        return bytes
    }

    static func isGzipName(_ path: String) -> Bool {
        let lower = path.lowercased()
        return lower.hasSuffix(".gz") || lower.hasSuffix(".tgz")
    }
}
