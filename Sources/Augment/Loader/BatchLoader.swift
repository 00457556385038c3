import DataPrep

/// The training-side `BatchSource`: shuffles an in-memory `ImageDataset` per epoch, augments
/// every sample with a `Pipeline` on a pool of worker threads, and hands out float32 NHWC
/// batches in order, at most `prefetch` batches ahead of the consumer.
///
/// Reproducibility: epoch `e`'s order is `SeededGenerator(seed:stream: .epochOrder, epoch: e)`'s
/// permutation (the same as `ArrayBatchSource(shuffleSeed: seed)`), and sample `i` of epoch `e`
/// is augmented from its own stream `SeededGenerator(seed:stream: .augmentation, epoch: e,
/// index: i)`, so its pixels do not depend on the batch size, the visiting order, the number of
/// threads or timing. With an empty pipeline the batches equal `ArrayBatchSource`'s exactly.
///
/// Memory: `prefetch` batches plus, per worker, two image-sized scratch buffers, all allocated
/// when an epoch starts (batches are kept between epochs); nothing is allocated per sample.
public struct BatchLoader: BatchSource {
    public let dataset: ImageDataset
    public let pipeline: Pipeline
    public let normalization: Normalization
    /// Root seed of both the epoch order and the augmentation streams.
    public let seed: UInt64
    /// `false`: stored order every epoch (augmentation stays seeded).
    public let shuffle: Bool
    /// Worker threads augmenting samples (>= 1); the consumer's thread only waits and calls `body`.
    public let threads: Int
    /// Batches prepared ahead of the one being consumed (>= 1).
    public let prefetch: Int
    private var pool: BatchPool?

    /// - Parameters:
    ///   - dataset: the samples (any shape; the pipeline keeps it).
    ///   - pipeline: the augmentation; empty = none.
    ///   - normalization: bytes -> floats, e.g. the split output's or `.unit`.
    ///   - seed: root seed (print it when the user gave none).
    ///   - shuffle: reshuffle every epoch (default true).
    ///   - threads: worker threads, default all cores.
    ///   - prefetch: batches in flight, default `2 * threads`.
    public init(dataset: ImageDataset, pipeline: Pipeline = Pipeline(), normalization: Normalization = .unit, seed: UInt64,
                shuffle: Bool = true, threads: Int = Parallel.defaultThreads, prefetch: Int? = nil) {
        precondition(threads >= 1, "BatchLoader needs at least one thread, got \(threads)")
        precondition((prefetch ?? 1) >= 1, "BatchLoader prefetch must be at least 1, got \(prefetch ?? 0)")
        self.dataset = dataset; self.pipeline = pipeline; self.normalization = normalization; self.seed = seed
        self.shuffle = shuffle; self.threads = threads; self.prefetch = prefetch ?? 2 * threads
    }

    public var sampleCount: Int { dataset.count }
    public var sampleShape: (height: Int, width: Int, channels: Int) { (dataset.height, dataset.width, dataset.channels) }

    /// The order in which `epoch` visits the samples.
    public func order(epoch: Int) -> [Int] {
        guard shuffle else { return Array(0..<dataset.count) }
        var generator = SeededGenerator(seed: seed, stream: StreamPurpose.epochOrder, epoch: epoch)
        return generator.permutation(dataset.count)
    }

    /// Calls `body` with every batch of `epoch`, in order; the last batch holds the remaining
    /// `sampleCount % batchSize` samples when that is not zero (nothing is dropped). If `body`
    /// throws, the workers stop and the error is rethrown.
    public mutating func forEachBatch(epoch: Int, batchSize: Int, filling: BatchFilling,
                                      _ body: (borrowing Batch) throws -> Void) throws {
        precondition(batchSize > 0, "batch size must be positive, got \(batchSize)")
        if pool == nil || !isKnownUniquelyReferenced(&pool!) || pool!.batchSize != batchSize {
            pool = BatchPool(count: prefetch, batchSize: batchSize, height: dataset.height, width: dataset.width, channels: dataset.channels)
        }
        let order = self.order(epoch: epoch)
        guard !order.isEmpty else { return }
        let job = EpochJob(dataset: dataset, pipeline: pipeline, table: NormalizationTable(normalization, channels: dataset.channels),
                           seed: seed, epoch: epoch, order: order, batchSize: batchSize, filling: filling, pool: pool!)
        try job.run(threads: threads, body)
    }
}

/// Batch buffers kept between epochs.
final class BatchPool: @unchecked Sendable {
    let batchSize: Int
    let slots: [BatchSlot]

    init(count: Int, batchSize: Int, height: Int, width: Int, channels: Int) {
        self.batchSize = batchSize
        slots = (0..<count).map { _ in BatchSlot(Batch(capacity: batchSize, height: height, width: width, channels: channels)) }
    }
}

/// One batch buffer; owned by one worker while it fills it, by the consumer while it reads it.
final class BatchSlot: @unchecked Sendable {
    var batch: Batch
    init(_ batch: Batch) { self.batch = batch }
}
