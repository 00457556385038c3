/// Batches straight from an in-memory `ImageDataset`: normalised, optionally shuffled per epoch
/// with a seeded order, no augmentation. Used for validation/evaluation and by tests; the
/// augmenting `BatchLoader` in `Augment` is its counterpart for training.
public struct ArrayBatchSource: BatchSource {
    public let dataset: ImageDataset
    public let normalization: Normalization
    /// `nil`: samples in stored order every epoch. Otherwise each epoch gets the permutation drawn
    /// from `SeededGenerator(seed:stream: StreamPurpose.epochOrder, epoch:)`.
    public let shuffleSeed: UInt64?
    private var batch: Batch?

    public init(dataset: ImageDataset, normalization: Normalization = .unit, shuffleSeed: UInt64? = nil) {
        self.dataset = dataset; self.normalization = normalization; self.shuffleSeed = shuffleSeed
    }

    public var sampleCount: Int { dataset.count }
    public var sampleShape: (height: Int, width: Int, channels: Int) { (dataset.height, dataset.width, dataset.channels) }

    /// The order in which `epoch` visits the samples.
    public func order(epoch: Int) -> [Int] {
        guard let seed = shuffleSeed else { return Array(0..<dataset.count) }
        var generator = SeededGenerator(seed: seed, stream: StreamPurpose.epochOrder, epoch: epoch)
        return generator.permutation(dataset.count)
    }

    public mutating func forEachBatch(epoch: Int, batchSize: Int, filling: BatchFilling,
                                      _ body: (borrowing Batch) throws -> Void) throws {
        precondition(batchSize > 0, "batch size must be positive, got \(batchSize)")
        if batch == nil || batch!.capacity != batchSize {
            batch = Batch(capacity: batchSize, height: dataset.height, width: dataset.width, channels: dataset.channels)
        }
        var current = batch.take()!
        defer { batch = current }
        let order = self.order(epoch: epoch), size = dataset.sampleSize
        var start = 0, index = 0
        while start < order.count {
            let n = min(batchSize, order.count - start)
            current.count = n; current.epoch = epoch
            let filled = filling.samples(batch: index, count: n)
            current.filled = filled
            dataset.storage.withUnsafeBufferPointer { src in
                current.images.withUnsafeMutableBufferPointer { dst in
                    for k in filled {
                        let i = order[start + k]
                        normalization.apply(UnsafeBufferPointer(rebasing: src[(i * size)..<((i + 1) * size)]),
                                            channels: dataset.channels,
                                            into: UnsafeMutableBufferPointer(rebasing: dst[(k * size)..<((k + 1) * size)]))
                    }
                }
            }
            for k in 0..<n {
                let i = order[start + k]
                current.labels[k] = dataset.labels[i]; current.indices[k] = i
            }
            try body(current)
            start += n; index += 1
        }
    }
}
