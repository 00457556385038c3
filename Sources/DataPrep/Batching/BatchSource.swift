/// Anything that yields the batches of an epoch: the one interface between data loading and
/// training. `Train` depends on this protocol only, so in-memory arrays and the augmenting
/// loader are interchangeable.
public protocol BatchSource {
    /// Samples per epoch.
    var sampleCount: Int { get }
    /// Shape of one sample (height, width, channels) as delivered.
    var sampleShape: (height: Int, width: Int, channels: Int) { get }
    /// Calls `body` with every batch of `epoch` in order (the last one may be short). Batch
    /// storage is reused: copy out what must outlive the call. The sequence of batches depends
    /// only on the source's seed, `epoch` and `batchSize`, never on timing or thread count.
    ///
    /// - Parameter filling: which samples get pixels (`Batch.filled`); the others' images are
    ///   left as they were.
    mutating func forEachBatch(epoch: Int, batchSize: Int, filling: BatchFilling, _ body: (borrowing Batch) throws -> Void) throws
}

extension BatchSource {
    /// Every batch of `epoch` with every sample filled.
    public mutating func forEachBatch(epoch: Int, batchSize: Int, _ body: (borrowing Batch) throws -> Void) throws {
        try forEachBatch(epoch: epoch, batchSize: batchSize, filling: .everything, body)
    }
}
