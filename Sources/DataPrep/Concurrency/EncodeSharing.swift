/// Who encodes which samples of each chunk a `DatasetWriter` encodes (PNG files and WebDataset
/// shards, the costly formats to write): this process alone (no sharing), or several processes
/// (the ranks of an MPI job) each encoding a share while the writing process collects every
/// sample's bytes. Chunks are the writer's own, in sample order, so every process walks the same
/// sequence of chunks, each sample is encoded by exactly one of them, to the same bytes (the
/// encoders are deterministic), and the collected chunk equals the one a single process encodes.
public protocol EncodeSharing: Sendable {
    /// The bytes of the chunk's `count` samples: calls `encode` for the slots this process
    /// encodes (it returns their bytes in slot order) and, on the writing process, collects the
    /// other slots' bytes.
    ///
    /// - Returns: every slot's bytes, in order, on the writing process; ignored elsewhere.
    func encodeChunk(count: Int, encode: (Range<Int>) throws -> [[UInt8]]) throws -> [[UInt8]]
}
