import DataPrep
import Foundation
import Testing
@testable import Train

/// Data-parallel steps (`SampleBlocks`): N processes sharing each step's blocks end every step
/// with exactly the weights one process computes. The processes here are threads exchanging
/// through memory (`ThreadedExchange`), each with its own network; the real MPI ranks run the
/// same `Trainer` in `DistributedTrainTests`.
@Suite struct BlockTrainingTests {
    /// Conv + batch norm + dropout + dense + batch norm: every kind of state a block must carry.
    static let spec = "conv 6 3 same relu, batchnorm, maxpool 2, dropout 0.3, conv 8 3 same relu, maxpool 2, flatten, "
        + "dense 12 relu, batchnorm, dropout 0.2, dense 3 softmax"
    static let shape = TensorShape(height: 12, width: 12, channels: 2)

    /// 46 samples in batches of 20, 20 and 6: with blocks of 4 the short batch has 2 blocks, so
    /// with 3 processes one of them has nothing to compute in that step.
    static func batches() -> [Batch] {
        var generator = SeededGenerator(seed: 11, stream: 1, index: 0)
        return [20, 20, 6].map { n in
            var batch = Batch(capacity: 20, height: 12, width: 12, channels: 2)
            batch.count = n
            for i in 0..<(n * shape.count) { batch.images[i] = Float(generator.next() % 1000) / 500 - 1 }
            for i in 0..<n { batch.labels[i] = Int32(generator.next() % 3) }
            return batch
        }
    }

    static func trainer(exchange: any BlockExchange = SingleProcess(), blockSize: Int = 4, threads: Int = 1,
                        input: TensorShape = shape) throws -> Trainer {
        let net = try Network(spec: ModelSpec(parsing: spec), input: input, seed: 5, threads: threads)
        return try Trainer(network: net, config: TrainingConfig(epochs: 1, batchSize: 20, optimizer: OptimizerConfig(kind: .adam, learningRate: 0.01),
                                                                seed: 5, loss: .sparseCategoricalCrossEntropy, blockSize: blockSize),
                           exchange: exchange)
    }

    /// Every parameter (moving statistics included) and every step's figures, as bits.
    static func run(_ trainer: Trainer, steps: Int) throws -> (weights: [UInt32], figures: [UInt64]) {
        var figures: [UInt64] = []
        let batches = batches()
        for s in 0..<steps {
            let r = try trainer.trainStep(batches[s % batches.count], learningRate: 0.01)
            figures += [r.loss.bitPattern, UInt64(r.correct)]
        }
        let p = trainer.network.parameters
        return ((0..<p.count).map { p.values[$0].bitPattern }, figures)
    }

    @Test(arguments: [2, 3, 4])
    func sharedStepsEqualOneProcess(processes: Int) throws {
        let alone = try Self.run(Self.trainer(), steps: 6)
        let board = ThreadedExchange.Board(processes: processes)
        let results = try ThreadedExchange.runEach(processes: processes) { rank in
            try Self.run(Self.trainer(exchange: ThreadedExchange(board: board, rank: rank)), steps: 6)
        }
        for (rank, shared) in results.enumerated() {
            #expect(shared.weights == alone.weights, "rank \(rank) of \(processes): weights differ from one process")
            #expect(shared.figures == alone.figures, "rank \(rank) of \(processes): losses differ from one process")
        }
    }

    /// Layers that compute samples apart run a process's blocks in one call (`forwardKeepsBlocksApart`):
    /// one process (3 blocks, one call) must equal 3 processes (one block each, block calls).
    /// 40x40 RGB samples are cut into row blocks by the conv tiling, so its forward takes the
    /// one-call path too.
    @Test func oneCallOverBlocksEqualsBlockCalls() throws {
        let spec = "conv 8 3 same relu, maxpool 2, dropout 0.3, conv 8 3 same relu, flatten, dense 3 softmax"
        let shape = TensorShape(height: 40, width: 40, channels: 3)
        @Sendable func trainer(_ exchange: any BlockExchange) throws -> Trainer {
            let net = try Network(spec: ModelSpec(parsing: spec), input: shape, seed: 2, threads: 2)
            return try Trainer(network: net, config: TrainingConfig(epochs: 1, batchSize: 12, optimizer: OptimizerConfig(kind: .adam, learningRate: 0.01),
                                                                    seed: 2, loss: .sparseCategoricalCrossEntropy, blockSize: 4),
                               exchange: exchange)
        }
        @Sendable func run(_ t: Trainer) throws -> [UInt32] {
            var generator = SeededGenerator(seed: 3, stream: 1, index: 0)
            var batch = Batch(capacity: 12, height: 40, width: 40, channels: 3)
            batch.count = 12
            for i in 0..<(12 * shape.count) { batch.images[i] = Float(generator.next() % 1000) / 500 - 1 }
            for i in 0..<12 { batch.labels[i] = Int32(generator.next() % 3) }
            for _ in 0..<3 { _ = try t.trainStep(batch, learningRate: 0.01) }
            let p = t.network.parameters
            return (0..<p.count).map { p.values[$0].bitPattern }
        }
        let alone = try trainer(SingleProcess())
        #expect(alone.network.layers.allSatisfy { $0.forwardKeepsBlocksApart(blockSize: 4) || $0 is DenseLayer },
                "the test must take the one-call path in every layer but dense")
        let expected = try run(alone)
        let board = ThreadedExchange.Board(processes: 3)
        let shared = try ThreadedExchange.runEach(processes: 3) { rank in try run(trainer(ThreadedExchange(board: board, rank: rank))) }
        for weights in shared { #expect(weights == expected) }
    }

    @Test func threadsDoNotChangeTheBits() throws {
        #expect(try Self.run(Self.trainer(threads: 1), steps: 3).weights == Self.run(Self.trainer(threads: 2), steps: 3).weights)
    }

    /// Blocks change only the rounding, never the mathematics: the gradient of a step taken in
    /// blocks of 4 (batch norm's statistics still over all 20 samples) is the one-block gradient
    /// to float precision. Were the statistics per block, the batch-norm gradients would be off
    /// by far more.
    @Test func blocksChangeOnlyTheRounding() throws {
        func gradients(blockSize: Int) throws -> [Float] {
            let t = try Self.trainer(blockSize: blockSize)
            var batch = Self.batches()[0]
            let pass = BlockPass(blocks: SampleBlocks(batch: 20, size: blockSize), exchange: SingleProcess())
            let classes = 3
            try batch.images.withUnsafeMutableBufferPointer { images in
                try batch.labels.withUnsafeMutableBufferPointer { labels in
                    let out = try t.network.forward(images.baseAddress!, pass: pass, seed: 5, step: 0)
                    _ = Loss.sparseCategoricalCrossEntropy.evaluate(output: out, batch: 20, classes: classes,
                                                                    labels: labels.baseAddress!, gradient: t.network.outputGradient)
                    try t.network.backward(input: images.baseAddress!, pass: pass,
                                           gradients: BlockGradients(store: t.network.parameters, layers: t.network.layers.count),
                                           fusedOutputActivation: true, seed: 5, step: 0)
                }
            }
            let p = t.network.parameters
            return (0..<p.count).map { p.gradients[$0] }
        }
        // The contrast: each block of 4 as a batch of its own (batch-norm statistics per block).
        func perBlockStatistics() throws -> [Float] {
            let t = try Self.trainer()
            var batch = Self.batches()[0]
            let p = t.network.parameters
            var sum = [Float](repeating: 0, count: p.count)
            batch.images.withUnsafeMutableBufferPointer { images in
                batch.labels.withUnsafeMutableBufferPointer { labels in
                    for b in 0..<5 {
                        let x = images.baseAddress! + b * 4 * Self.shape.count
                        let out = t.network.forward(x, batch: 4, mode: .training, seed: 5, step: 0)
                        _ = Loss.sparseCategoricalCrossEntropy.sum(output: out, batch: 4, classes: 3, labels: labels.baseAddress! + b * 4,
                                                                   targets: nil, gradient: t.network.outputGradient, meanOver: 20)
                        t.network.backward(input: x, batch: 4, fusedOutputActivation: true, seed: 5, step: 0)
                        for i in 0..<p.count { sum[i] += p.gradients[i] }
                    }
                }
            }
            return sum
        }
        let whole = try gradients(blockSize: 20), blocked = try gradients(blockSize: 4)
        let scale = whole.map(abs).max()!
        let worst = zip(whole, blocked).map { abs($0 - $1) }.max()!
        #expect(scale > 0.01)
        #expect(worst <= scale * 1e-4, "largest difference \(worst) for gradients up to \(scale)")
        #expect(whole != blocked, "different block sizes should round differently somewhere")
        let separate = try perBlockStatistics()
        let contrast = zip(whole, separate).map { abs($0 - $1) }.max()!
        #expect(contrast > 1000 * worst, "per-block statistics differ by \(contrast), blocks by \(worst)")
    }
}

/// Processes as threads: each posts its partials, waits for all, and reads everyone's in
/// process order — what MPI's allgather does between ranks.
final class ThreadedExchange: BlockExchange, @unchecked Sendable {
    final class Board: @unchecked Sendable {
        let processes: Int
        private let condition = NSCondition()
        private var slots: [[UInt8]]
        private var finished: [[UInt8]] = []
        private var arrived = 0
        private var round = 0

        init(processes: Int) {
            self.processes = processes
            slots = Array(repeating: [], count: processes)
        }

        func allGather(_ bytes: [UInt8], rank: Int) -> [[UInt8]] {
            condition.lock()
            defer { condition.unlock() }
            slots[rank] = bytes
            arrived += 1
            let mine = round
            if arrived == processes {
                finished = slots; arrived = 0; round += 1
                condition.broadcast()
            } else {
                while round == mine { condition.wait() }
            }
            return finished
        }
    }

    let board: Board
    let rank: Int
    init(board: Board, rank: Int) { self.board = board; self.rank = rank }

    var processes: Int { board.processes }
    func localBlocks(count: Int) -> Range<Int> { SampleBlocks.share(count: count, process: rank, of: processes) }
    func allBlocks(_ local: [Float], width: Int, count: Int) throws -> [Float] { gather(local) }
    func allBlocks(_ local: [Double], width: Int, count: Int) throws -> [Double] { gather(local) }
    func any(_ flag: Bool) throws -> Bool { gather([flag ? 1 : 0] as [UInt8]).contains(1) }

    private func gather<T: BitwiseCopyable>(_ values: [T]) -> [T] {
        let bytes = values.withUnsafeBytes { Array($0) }
        return board.allGather(bytes, rank: rank).flatMap { part in
            part.withUnsafeBytes { raw in Array(raw.bindMemory(to: T.self)) }
        }
    }

    /// Runs `body(rank)` on `processes` threads at once (they block on each other) and returns
    /// the results in rank order.
    static func runEach<T: Sendable>(processes: Int, _ body: @escaping @Sendable (Int) throws -> T) throws -> [T] {
        let results = ResultSlots<T>(processes)
        let done = DispatchGroup()
        for rank in 0..<processes {
            done.enter()
            let thread = Thread {
                results.set(rank, Result { try body(rank) })
                done.leave()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        done.wait()
        return try results.all()
    }
}

private final class ResultSlots<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Result<T, any Error>?]
    init(_ n: Int) { values = Array(repeating: nil, count: n) }
    func set(_ i: Int, _ r: Result<T, any Error>) { lock.lock(); values[i] = r; lock.unlock() }
    func all() throws -> [T] { try values.map { try $0!.get() } }
}
