import DataPrep
#if canImport(Glibc)
import Glibc
#endif

/// Running figures of the epoch in progress, for progress bars.
public struct BatchProgress: Sendable {
    public var epoch: Int
    public var epochs: Int
    public var batch: Int
    public var batches: Int
    public var loss: Double
    public var accuracy: Double
}

/// Trains a `Network` on any `BatchSource`: steps, validation every epoch, learning-rate
/// schedule, early stopping and an interruptible, exactly resumable state.
public final class Trainer {
    public let network: Network
    public let optimizer: Optimizer
    public let config: TrainingConfig
    public internal(set) var state: TrainingState
    /// Who shares each step's blocks (a single process unless the run is distributed).
    public let exchange: any BlockExchange
    private let gradients: BlockGradients

    /// - Parameters:
    ///   - state: a checkpoint's state to continue from (nil: a fresh run).
    ///   - exchange: the processes sharing every step (MPI ranks), or one process.
    public init(network: Network, config: TrainingConfig, state: TrainingState = TrainingState(),
                exchange: any BlockExchange = SingleProcess()) throws {
        guard Loss.matching(activation: network.outputActivation, outputs: network.outputShape.count) == config.loss
                || config.loss == .categoricalCrossEntropy && network.outputActivation == .softmax else {
            throw TrainError.incompatibleData(
                reason: "loss \(config.loss.rawValue) needs a model ending in \(config.loss.outputActivation.rawValue), got \(network.outputActivation.rawValue)")
        }
        // Both come from a checkpoint when resuming: a hand-edited 0 is a typed error, not a trap.
        guard config.batchSize >= 1, config.samplesPerBlock >= 1 else {
            throw TrainError.invalidConfiguration(
                reason: "batch size \(config.batchSize) and block size \(config.samplesPerBlock) must both be at least 1")
        }
        self.network = network; self.config = config; self.state = state; self.exchange = exchange
        gradients = BlockGradients(store: network.parameters, layers: network.layers.count)
        optimizer = Optimizer(config: config.optimizer, parameterCount: network.parameters.count)
        network.reserve(batch: config.batchSize)
    }

    /// Threads taking whole blocks (`ReplicaTeam`), made when a step first has a block for each.
    private(set) var replicaTeam: ReplicaTeam?

    /// The team for `pass` when each of the network's threads can take a block of it, else nil
    /// (the threads then cut each layer's work: a short last batch, or batches of one block).
    private func team(for pass: BlockPass) throws -> ReplicaTeam? {
        let members = network.threads
        guard ReplicaTeam.shares(localBlocks: pass.local.count, members: members) else { return nil }
        if replicaTeam?.members != members { replicaTeam = try ReplicaTeam(owner: network, members: members, outer: exchange) }
        return replicaTeam
    }

    private var hasRegularizers: Bool { network.parameters.tensors.contains { $0.l1 != 0 || $0.l2 != 0 } }

    /// The L1/L2 penalty of the current weights (0 without regularizers): what Keras adds to the
    /// compiled loss, in training and in evaluation alike.
    public var penalty: Double { hasRegularizers ? Regularization.penalty(network.parameters) : 0 }

    /// One optimizer step on the valid samples of `batch`; returns the batch's mean loss
    /// (including regularization penalties, as Keras reports it), the loss without them, and
    /// its correct predictions. A non-finite loss leaves the weights and `state` untouched (no
    /// optimizer step): the caller stops there.
    ///
    /// The batch is computed block by block (`SampleBlocks`, `config.samplesPerBlock`): this
    /// process's blocks when the step is shared (`exchange`), every block otherwise, with the
    /// same bits either way. Every process passes the whole batch and computes its own blocks.
    ///
    /// - Throws: what the exchange throws (a failed or vanished process).
    public func trainStep(_ batch: borrowing Batch, learningRate: Float) throws -> (loss: Double, dataLoss: Double, correct: Int) {
        let n = batch.count, classes = network.outputShape.count
        precondition(n > 0 && n <= batch.capacity, "batch count \(n) outside 1...\(batch.capacity)")
        let pass = BlockPass(blocks: SampleBlocks(batch: n, size: config.samplesPerBlock), exchange: exchange)
        let needed = pass.blocks.samples(pass.local), filled = batch.filled
        precondition(needed.isEmpty || filled.lowerBound <= needed.lowerBound && needed.upperBound <= filled.upperBound,
                     "the batch holds pixels for samples \(filled), this process computes \(needed)")
        let inputCount = network.inputShape.count
        // Per block: its summed loss and its correct predictions, exchanged with the gradients'.
        var figures = [Double](repeating: 0, count: pass.local.count * 2)
        try batch.images.withUnsafeBufferPointer { images in
            try batch.labels.withUnsafeBufferPointer { labels in
                try figures.withUnsafeMutableBufferPointer { figures in
                    /// One network's share of the step (`threads` per layer call; nil: the network's own).
                    func compute(_ net: Network, _ part: BlockPass, _ gradients: BlockGradients, threads: Int?) throws {
                        let input = images.baseAddress! + part.firstSample &* inputCount
                        let output = try net.forward(input, pass: part, seed: config.seed, step: state.step, threads: threads)
                        for b in part.local {
                            let s = part.localSamples(b), j = b &- pass.local.lowerBound
                            let out = output + s.lowerBound &* classes, label = labels.baseAddress! + (part.firstSample &+ s.lowerBound)
                            figures[2 &* j] = blockLoss(out, labels: label, count: s.count, stepBatch: n,
                                                        gradient: net.outputGradient + s.lowerBound &* classes)
                            figures[2 &* j &+ 1] = Double(config.loss.correct(output: out, batch: s.count, classes: classes, labels: label))
                        }
                        try net.backward(input: input, pass: part, gradients: gradients, fusedOutputActivation: true,
                                         seed: config.seed, step: state.step, threads: threads)
                    }
                    if let team = try team(for: pass) {
                        try team.run(blocks: pass.blocks) { try compute($0, $1, $2, threads: 1) }
                    } else {
                        try compute(network, pass, gradients, threads: nil)
                    }
                }
            }
        }
        let all = try exchange.allBlocks(figures, width: 2, count: pass.blocks.count)
        var result = (loss: 0.0, dataLoss: 0.0, correct: 0)
        for b in 0..<pass.blocks.count { result.loss += all[2 &* b]; result.correct += Int(all[2 &* b &+ 1]) }
        result.loss /= Double(n)
        result.dataLoss = result.loss
        if hasRegularizers {
            result.loss += Regularization.penalty(network.parameters)
            Regularization.addGradients(network.parameters)
        }
        guard result.loss.isFinite else { return result }
        let start = network.profile == nil ? 0 : GEMMClock.now()
        optimizer.step(network.parameters, learningRate: learningRate, threads: network.threads, isa: network.tuning.isa)
        network.profile?.optimizerNanoseconds &+= GEMMClock.now() &- start
        state.step += 1
        return result
    }

    /// The summed loss of one block's `count` rows, writing the gradient of the step's mean
    /// (over `stepBatch` samples) into `gradient`.
    private func blockLoss(_ output: UnsafePointer<Float>, labels: UnsafePointer<Int32>, count: Int, stepBatch: Int,
                           gradient: UnsafeMutablePointer<Float>) -> Double {
        let loss = config.loss, classes = network.outputShape.count
        guard loss == .categoricalCrossEntropy else {
            return loss.sum(output: output, batch: count, classes: classes, labels: labels, targets: nil, gradient: gradient,
                            meanOver: stepBatch)
        }
        var targets = [Float](repeating: 0, count: count * classes)
        for i in 0..<count { targets[i * classes + Int(labels[i])] = 1 }
        return targets.withUnsafeBufferPointer {
            loss.sum(output: output, batch: count, classes: classes, labels: nil, targets: $0.baseAddress, gradient: gradient,
                     meanOver: stepBatch)
        }
    }

    /// Mean loss and accuracy of the network in inference mode over one pass of `source`.
    /// Shared by the processes of the exchange (each evaluates its whole batches).
    public func evaluate<S: BatchSource>(_ source: inout S, batchSize: Int? = nil) throws -> (loss: Double, accuracy: Double) {
        try Evaluation.run(network: network, loss: config.loss, source: &source, batchSize: batchSize ?? config.batchSize,
                           exchange: exchange)
    }

    /// Trains from `state` until `config.epochs`, early stopping or `shouldStop()`.
    ///
    /// - Parameters:
    ///   - training: the training batches (its epoch order must depend only on its seed).
    ///   - validation: evaluated after every epoch, when given.
    ///   - shouldStop: polled between steps (e.g. a SIGINT flag); true ends the run with
    ///     `.interrupted`, leaving `state` ready to resume at the next batch.
    ///   - onBatch: after every step, with the epoch's running figures.
    ///   - onEpoch: after every epoch with its record and whether it is the best so far (save
    ///     checkpoints here: `state` already describes the finished epoch).
    public func fit<Train: BatchSource, Validation: BatchSource>(
        training: inout Train, validation: inout Validation?,
        shouldStop: () -> Bool = { false },
        onBatch: (BatchProgress) -> Void = { _ in },
        onEpoch: (EpochRecord, Bool) throws -> Void = { _, _ in }
    ) throws -> StopReason {
        let batches = (training.sampleCount + config.batchSize - 1) / config.batchSize
        let filling = trainingFilling(samples: training.sampleCount)
        state.stopReason = nil
        while state.epoch < config.epochs {
            let epoch = state.epoch
            let lr = config.schedule.rate(base: config.optimizer.learningRate, epoch: epoch, epochs: config.epochs)
            let start = Self.now()
            let skip = state.batchesDone
            var batchIndex = 0, samplesThisRun = 0
            var interrupted = false
            do {
                try training.forEachBatch(epoch: epoch, batchSize: config.batchSize, filling: filling) { batch in
                    defer { batchIndex += 1 }
                    if batchIndex < skip { return }
                    // Agreed, so every process of a shared run stops at the same step.
                    if try exchange.any(shouldStop()) { throw Interrupted() }
                    let (loss, dataLoss, correct) = try trainStep(batch, learningRate: lr)
                    guard loss.isFinite else {
                        throw TrainError.nonFiniteLoss(what: "training loss", value: loss, epoch: epoch + 1, step: state.step + 1)
                    }
                    state.epochLossSum += loss * Double(batch.count)
                    state.epochDataLossSum = (state.epochDataLossSum ?? 0) + dataLoss * Double(batch.count)
                    state.epochCorrect += correct
                    state.epochSeen += batch.count
                    state.batchesDone += 1
                    samplesThisRun += batch.count
                    onBatch(BatchProgress(epoch: epoch + 1, epochs: config.epochs, batch: state.batchesDone, batches: batches,
                                          loss: state.epochLossSum / Double(state.epochSeen),
                                          accuracy: Double(state.epochCorrect) / Double(state.epochSeen)))
                }
            } catch is Interrupted {
                interrupted = true
            }
            if interrupted {
                state.stopReason = .interrupted
                return .interrupted
            }
            let trainSeconds = Self.now() - start
            var record = EpochRecord(epoch: epoch + 1, learningRate: lr,
                                     loss: state.epochLossSum / Double(max(1, state.epochSeen)),
                                     accuracy: Double(state.epochCorrect) / Double(max(1, state.epochSeen)),
                                     validationLoss: nil, validationAccuracy: nil,
                                     dataLoss: state.epochDataLossSum.map { $0 / Double(max(1, state.epochSeen)) },
                                     penalty: penalty, seconds: trainSeconds,
                                     samplesPerSecond: Double(samplesThisRun) / max(trainSeconds, 1e-9))
            if validation != nil {
                var source = validation!
                let (loss, accuracy) = try evaluate(&source)
                validation = source
                // Keras's val_loss: the compiled loss plus model.losses (the penalty of the
                // weights as they stand after the epoch), as its test_step's compute_loss adds.
                record.validationLoss = loss + record.penalty!; record.validationDataLoss = loss
                record.validationAccuracy = accuracy
                guard record.validationLoss!.isFinite else {
                    throw TrainError.nonFiniteLoss(what: "validation loss", value: record.validationLoss!, epoch: epoch + 1, step: state.step)
                }
            }
            let monitored = record.validationLoss ?? record.loss
            let isBest = state.bestLoss.map { monitored < $0 } ?? true
            if isBest {
                state.bestLoss = monitored; state.bestEpoch = epoch + 1; state.epochsWithoutImprovement = 0
            } else {
                state.epochsWithoutImprovement += 1
            }
            state.history.append(record)
            state.epoch += 1
            state.batchesDone = 0; state.epochLossSum = 0; state.epochDataLossSum = 0; state.epochCorrect = 0; state.epochSeen = 0
            let early = config.patience.map { state.epochsWithoutImprovement >= $0 } ?? false
            if early { state.stopReason = .earlyStopped } else if state.epoch >= config.epochs { state.stopReason = .completed }
            try onEpoch(record, isBest)
            if early { return .earlyStopped }
        }
        state.stopReason = .completed
        return .completed
    }

    private struct Interrupted: Error {}

    /// The samples this process computes in each training batch (its blocks' samples), so the
    /// source loads and augments only those; every sample for a process alone. The rule is
    /// known for the two batch sizes an epoch has (full, and the short last one).
    private func trainingFilling(samples: Int) -> BatchFilling {
        guard !exchange.isAlone else { return .everything }
        var shares: [Int: Range<Int>] = [:]
        for n in Set([config.batchSize, samples % config.batchSize]) where n > 0 {
            let blocks = SampleBlocks(batch: n, size: config.samplesPerBlock)
            shares[n] = blocks.samples(exchange.localBlocks(count: blocks.count))
        }
        return BatchFilling { [shares] _, count in shares[count] ?? 0..<count }
    }

    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }
}

/// Inference-mode evaluation and prediction.
public enum Evaluation {
    /// Mean loss and accuracy of `network` over one pass of `source` (epoch 0).
    ///
    /// With processes sharing the pass (`exchange`), each computes a contiguous run of whole
    /// batches (its source fills only those) and every process adds every batch's loss term and
    /// correct count in batch order: the bits one process gets, since a batch is computed the
    /// same wherever it runs.
    public static func run<S: BatchSource>(network: Network, loss: Loss, source: inout S, batchSize: Int,
                                           exchange: any BlockExchange = SingleProcess()) throws -> (loss: Double, accuracy: Double) {
        let classes = network.outputShape.count
        let batches = (source.sampleCount + batchSize - 1) / batchSize
        let mine = exchange.localBlocks(count: batches)
        // Per batch of this process: the batch's loss times its size, and its correct count.
        var terms: [Double] = []
        var index = 0
        let filling = exchange.isAlone ? .everything : BatchFilling { batch, count in mine.contains(batch) ? 0..<count : 0..<0 }
        try source.forEachBatch(epoch: 0, batchSize: batchSize, filling: filling) { batch in
            defer { index += 1 }
            guard mine.contains(index) else { return }
            let n = batch.count
            batch.images.withUnsafeBufferPointer { images in
                batch.labels.withUnsafeBufferPointer { labels in
                    let out = network.forward(images.baseAddress!, batch: n, mode: .inference)
                    if loss == .categoricalCrossEntropy {
                        var targets = [Float](repeating: 0, count: n * classes)
                        for i in 0..<n { targets[i * classes + Int(labels[i])] = 1 }
                        terms.append(targets.withUnsafeBufferPointer {
                            loss.evaluate(output: out, batch: n, classes: classes, labels: nil, targets: $0.baseAddress, gradient: nil)
                        } * Double(n))
                    } else {
                        terms.append(loss.evaluate(output: out, batch: n, classes: classes, labels: labels.baseAddress, gradient: nil) * Double(n))
                    }
                    terms.append(Double(loss.correct(output: out, batch: n, classes: classes, labels: labels.baseAddress!)))
                }
            }
        }
        let all = batches == 0 ? [] : try exchange.allBlocks(terms, width: 2, count: batches)
        var lossSum = 0.0, correct = 0
        for b in 0..<batches { lossSum += all[2 &* b]; correct += Int(all[2 &* b &+ 1]) }
        let seen = source.sampleCount
        return (lossSum / Double(max(1, seen)), Double(correct) / Double(max(1, seen)))
    }
}
