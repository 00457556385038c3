/// Who decodes which photos of each chunk a collection loads: this process alone (no sharing),
/// or several processes (the ranks of an MPI job) each decoding a share while one of them
/// collects every slot. Chunks are the loader's own, in source order, so every process walks
/// the same sequence of chunks and each photo is decoded by exactly one of them, to the same
/// bytes, so the collected chunk equals the one a single process decodes.
public protocol DecodeSharing: Sendable {
    /// Whether this process keeps the decoded samples; one that does not only decodes its
    /// shares for the collector, and its `load` returns no samples.
    var keepsSamples: Bool { get }

    /// Runs the checks every process makes before the first chunk (the listing, the target
    /// size, strict mode) and makes every process learn whether any of them failed, so an error
    /// they all meet is reported once instead of stranding the others in a chunk.
    func agree<T>(_ setup: () throws -> T) throws -> T

    /// Fills the chunk's `count` slots: calls `decode` for the slots this process decodes (it
    /// writes them in place and returns each slot's skip reason, nil when decoded) and, on the
    /// collecting process, copies every other slot's pixels, digest and reason in.
    ///
    /// - Parameters:
    ///   - pixels: `count` slots of `sampleSize` bytes (empty, `sampleSize` 0, when only digests
    ///     are shared: `ImageDataset.sampleHashes`); `digests`: `count` slots of `digestSize`
    ///     bytes (empty when not hashing).
    /// - Returns: the skip reason of every slot on the collecting process; ignored elsewhere.
    func decodeChunk(count: Int, pixels: UnsafeMutableRawBufferPointer, sampleSize: Int,
                     digests: UnsafeMutableRawBufferPointer, digestSize: Int,
                     decode: (Range<Int>) throws -> [String?]) throws -> [String?]
}
