import Foundation
import DataPrep

/// One epoch of a `BatchLoader`: worker threads claim batches in order, fill a free slot each,
/// and publish it; the consumer takes batch 0, 1, 2, ... as they become ready.
///
/// Batches are claimed in order and a claimed batch always has a slot, so the batch the
/// consumer waits for is always being filled: there is no deadlock however slots and threads
/// are counted. All shared state is guarded by `condition`.
final class EpochJob: @unchecked Sendable {
    let dataset: ImageDataset
    let pipeline: Pipeline
    let table: NormalizationTable
    let seed: UInt64
    let epoch: Int
    let order: [Int]
    let batchSize: Int
    let filling: BatchFilling
    let pool: BatchPool
    let batchCount: Int

    private let condition = NSCondition()
    private var freeSlots: [Int]
    /// Slot of each finished batch, -1 until it is ready.
    private var readySlot: [Int]
    private var nextBatch = 0
    private var cancelled = false
    private var liveWorkers = 0

    init(dataset: ImageDataset, pipeline: Pipeline, table: NormalizationTable, seed: UInt64, epoch: Int, order: [Int],
         batchSize: Int, filling: BatchFilling, pool: BatchPool) {
        self.dataset = dataset; self.pipeline = pipeline; self.table = table; self.seed = seed; self.epoch = epoch
        self.order = order; self.batchSize = batchSize; self.filling = filling; self.pool = pool
        batchCount = (order.count + batchSize - 1) / batchSize
        freeSlots = Array((0..<pool.slots.count).reversed())
        readySlot = [Int](repeating: -1, count: batchCount)
    }

    func run(threads: Int, _ body: (borrowing Batch) throws -> Void) throws {
        let workers = min(threads, batchCount)
        liveWorkers = workers
        for _ in 0..<workers {
            let thread = Thread { [self] in work() }
            thread.stackSize = 1 << 20
            thread.start()
        }
        defer {
            condition.lock()
            cancelled = true
            condition.broadcast()
            while liveWorkers > 0 { condition.wait() }
            condition.unlock()
        }
        for k in 0..<batchCount {
            condition.lock()
            while readySlot[k] < 0 { condition.wait() }
            let slot = readySlot[k]
            condition.unlock()
            try body(pool.slots[slot].batch)
            condition.lock()
            freeSlots.append(slot)
            condition.broadcast()
            condition.unlock()
        }
    }

    /// A worker: claim the next batch and a free slot, fill it, publish it; repeat.
    private func work() {
        let sampleBytes = dataset.sampleSize
        let scratch = AugmentScratch(capacity: sampleBytes)
        let augmented = UnsafeMutablePointer<UInt8>.allocate(capacity: sampleBytes)
        defer { augmented.deallocate() }
        while true {
            condition.lock()
            while !cancelled && nextBatch < batchCount && freeSlots.isEmpty { condition.wait() }
            if cancelled || nextBatch >= batchCount {
                liveWorkers -= 1
                condition.broadcast()
                condition.unlock()
                return
            }
            let k = nextBatch, slot = freeSlots.removeLast()
            nextBatch += 1
            condition.unlock()

            fill(pool.slots[slot], batch: k, scratch: scratch, augmented: augmented)

            condition.lock()
            readySlot[k] = slot
            condition.broadcast()
            condition.unlock()
        }
    }

    /// Augments and normalises the samples of batch `k` into `slot`.
    private func fill(_ slot: BatchSlot, batch k: Int, scratch: AugmentScratch, augmented: UnsafeMutablePointer<UInt8>) {
        let start = k * batchSize, n = min(batchSize, order.count - start)
        let size = dataset.sampleSize
        let shape = ImageShape(width: dataset.width, height: dataset.height, channels: dataset.channels)
        slot.batch.count = n
        slot.batch.epoch = epoch
        let filled = filling.samples(batch: k, count: n)
        slot.batch.filled = filled
        dataset.storage.withUnsafeBufferPointer { pixels in
            slot.batch.images.withUnsafeMutableBufferPointer { images in
                for j in filled {
                    let i = order[start + j]
                    let src = pixels.baseAddress! + i * size
                    var bytes = src
                    if !pipeline.isEmpty {
                        var generator = SeededGenerator(seed: seed, stream: StreamPurpose.augmentation, epoch: epoch, index: i)
                        pipeline.apply(src, into: augmented, shape: shape, using: &generator, scratch: scratch)
                        bytes = UnsafePointer(augmented)
                    }
                    table.convert(bytes, count: size, into: images.baseAddress! + j * size)
                }
            }
        }
        for j in 0..<n {
            let i = order[start + j]
            slot.batch.labels[j] = dataset.labels[i]
            slot.batch.indices[j] = i
        }
    }
}
