import DataPrep
import Foundation
import Testing
@testable import Train

/// Processes sharing a run load only what they compute: in training, the samples of their own
/// blocks; in validation, their own whole batches. The run's numbers stay those of one process.
@Suite struct SharedLoadingTests {
    /// 12x12 gray (a dataset has 1, 3 or 4 channels).
    static let shape = TensorShape(height: 12, width: 12, channels: 1)

    /// 46 training and 23 validation samples with formula pixels.
    static func dataset(count: Int, offset: Int) -> ImageDataset {
        var pixels: [UInt8] = []
        for i in 0..<count { for p in 0..<shape.count { pixels.append(UInt8(((i + offset) * 37 + p * 11 + (i * p) % 7) & 255)) } }
        return ImageDataset(height: shape.height, width: shape.width, channels: shape.channels, pixels: pixels,
                            labels: (0..<count).map { Int32(($0 * 7 + offset) % 3) }, classNames: ["a", "b", "c"])
    }

    /// A source that remembers which samples of each batch it was asked to fill.
    struct RecordingSource: BatchSource {
        var inner: ArrayBatchSource
        var asked: [[Range<Int>]] = []  // per epoch, per batch
        var sampleCount: Int { inner.sampleCount }
        var sampleShape: (height: Int, width: Int, channels: Int) { inner.sampleShape }
        mutating func forEachBatch(epoch: Int, batchSize: Int, filling: BatchFilling, _ body: (borrowing Batch) throws -> Void) throws {
            var ranges: [Range<Int>] = []
            try inner.forEachBatch(epoch: epoch, batchSize: batchSize, filling: filling) { batch in
                ranges.append(batch.filled)
                try body(batch)
            }
            asked.append(ranges)
        }
    }

    struct Outcome: Sendable {
        var weights: [UInt32]
        var history: [[UInt64]]
        var training: [[Range<Int>]]
        var validation: [[Range<Int>]]
    }

    static func fit(exchange: any BlockExchange = SingleProcess(), threads: Int = 1) throws -> Outcome {
        let trainer = try BlockTrainingTests.trainer(exchange: exchange, threads: threads, input: shape)
        var training = RecordingSource(inner: ArrayBatchSource(dataset: dataset(count: 46, offset: 0), shuffleSeed: 9))
        var validation: RecordingSource? = RecordingSource(inner: ArrayBatchSource(dataset: dataset(count: 23, offset: 100)))
        var config = trainer.config
        config.epochs = 2
        let twoEpochs = try Trainer(network: trainer.network, config: config, exchange: exchange)
        _ = try twoEpochs.fit(training: &training, validation: &validation)
        let p = trainer.network.parameters
        let history = twoEpochs.state.history.map { r in
            [r.loss.bitPattern, r.accuracy.bitPattern, r.validationLoss!.bitPattern, r.validationAccuracy!.bitPattern]
        }
        return Outcome(weights: (0..<p.count).map { p.values[$0].bitPattern }, history: history,
                       training: training.asked, validation: validation!.asked)
    }

    @Test(arguments: [2, 3])
    func processesLoadTheirSharesAndKeepTheNumbers(processes: Int) throws {
        let alone = try Self.fit()
        // Alone, every batch is filled whole: 20, 20, 6 training samples; 20, 3 validation.
        #expect(alone.training.allSatisfy { $0 == [0..<20, 0..<20, 0..<6] })
        #expect(alone.validation.allSatisfy { $0 == [0..<20, 0..<3] })
        let board = ThreadedExchange.Board(processes: processes)
        let shared = try ThreadedExchange.runEach(processes: processes) { rank in
            try Self.fit(exchange: ThreadedExchange(board: board, rank: rank))
        }
        for (rank, run) in shared.enumerated() {
            #expect(run.weights == alone.weights, "rank \(rank) of \(processes): weights")
            #expect(run.history == alone.history, "rank \(rank) of \(processes): losses and accuracies, validation included")
            // Training: the samples of this process's blocks of 4 (`SampleBlocks.share`).
            for epoch in run.training {
                for (batch, n) in [20, 20, 6].enumerated() {
                    let blocks = SampleBlocks(batch: n, size: 4)
                    let expected = blocks.samples(SampleBlocks.share(count: blocks.count, process: rank, of: processes))
                    #expect(epoch[batch] == (expected.isEmpty ? 0..<0 : expected), "rank \(rank), batch \(batch)")
                }
            }
            // Validation: whole batches, a contiguous run of the 2 per process.
            for epoch in run.validation {
                let mine = SampleBlocks.share(count: 2, process: rank, of: processes)
                #expect(epoch == [20, 3].enumerated().map { mine.contains($0.offset) ? 0..<$0.element : 0..<0 }, "rank \(rank)")
            }
        }
        // Every training sample of every batch is loaded by exactly one process.
        for batch in 0..<3 {
            let counts = shared.map { $0.training[0][batch].count }
            #expect(counts.reduce(0, +) == [20, 20, 6][batch])
        }
    }

    /// Threads taking blocks inside processes that load their shares: still one process's bits.
    @Test func teamsInsideSharingProcesses() throws {
        let alone = try Self.fit()
        let board = ThreadedExchange.Board(processes: 2)
        let shared = try ThreadedExchange.runEach(processes: 2) { rank in
            try Self.fit(exchange: ThreadedExchange(board: board, rank: rank), threads: 2)
        }
        for run in shared { #expect(run.weights == alone.weights && run.history == alone.history) }
    }
}
