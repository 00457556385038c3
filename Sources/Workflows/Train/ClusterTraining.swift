import Cluster
import DataPrep
import Foundation
import Train

/// `train` and `fine-tune` as the ranks of an MPI job, with the single process's results.
///
/// Every rank loads DATA (a shared filesystem; a photo collection's decoding is divided among
/// the ranks and every rank receives all of it), builds the same network from the same options
/// (every rank must pass the same; the CLI broadcasts rank 0's seed) and passes every batch through the same `Trainer`, computing only its
/// share of each step's blocks (`ClusterBlockExchange`). Rank 0 writes the run folder exactly as
/// one process would; the other ranks write their identical copies into a private scratch folder
/// deleted at the end, so nothing but rank 0 ever touches --out. `--resume` reads any run, so a
/// run can move between rank counts (and to or from a single process) at any checkpoint.
///
/// Setup ends in `Cluster.agree` (a refused --out or unreadable data stops every rank before
/// training). A failure during training on one rank (a killed rank, a full disk at rank 0) is
/// not agreed: the CLI aborts the job, and the run keeps its checkpoints of the last finished
/// epoch, each complete, ready for `--resume`.
enum ClusterTraining {
    /// - Parameters:
    ///   - prepare: builds the run with the given session (the rank's).
    ///   - fit: trains it.
    /// - Returns: `fit`'s value at rank 0; nil on the other ranks.
    static func run<Prepared, Outcome>(across cluster: Cluster, options: TrainSessionOptions, events: WorkflowEvents,
                                       prepare: (TrainSession) throws -> Prepared,
                                       fit: (Prepared) throws -> Outcome) throws -> Outcome? {
        var options = options
        var scratch: String?
        defer { if let scratch { try? FileIO.removeTree(scratch) } }
        let exchange = ClusterBlockExchange(cluster: cluster)
        let session = try cluster.agree { () -> TrainSession in
            if !cluster.isRoot {
                scratch = try FileIO.makeTemporaryDirectory(prefix: "dataprep-rank\(cluster.rank)-")
                options.out = scratch
                options.overwrite = false
            }
            let session = TrainSession(options: options, events: cluster.isRoot ? events : .silent, exchange: exchange,
                                       decodeSharing: ClusterDecodeSharing(cluster: cluster, everyRankKeeps: true))
            try session.checkOutput()
            return session
        }
        let prepared = Result { try prepare(session) }
        if case .failure(let failure as ClusterFailure) = prepared { throw failure }  // agreed while decoding
        let ready = try cluster.agree { try prepared.get() }
        if cluster.isRoot {
            events.note("training on \(cluster.size) ranks: each step's blocks of \(options.blockSize) samples are shared out, "
                        + "partial sums added in block order (the single-process bits)")
            let blocks = (options.batchSize + options.blockSize - 1) / options.blockSize
            if options.resume == nil && blocks < cluster.size {
                events.note("note: a step of \(options.batchSize) samples is \(blocks) block(s) of \(options.blockSize): "
                            + "\(cluster.size - blocks) rank(s) will wait; --block-size \(max(1, options.batchSize / cluster.size)) "
                            + "shares it (and gives other bits: use the same on one machine to compare)")
            }
        }
        let outcome: Outcome
        do {
            outcome = try fit(ready)
        } catch let error as TrainError {
            // A diverged loss is the same step's same value on every rank (the loss is folded
            // from every block), so every rank stops here together: report it as agreed.
            guard case .nonFiniteLoss = error else { throw error }
            throw ClusterFailure(error: error, failedRank: 0)
        }
        if cluster.isRoot && exchange.steps > 0 {
            let steps = Double(exchange.steps)
            events.note("rank 0 exchanged per step: \(Self.size(Double(exchange.sentBytes) / steps)) sent, "
                        + "\(Self.size(Double(exchange.receivedBytes) / steps)) received")
        }
        return cluster.isRoot ? outcome : nil
    }
}

extension ClusterTraining {
    /// Bytes as KiB or MiB with one decimal.
    static func size(_ bytes: Double) -> String {
        bytes >= 1_048_576 ? String(format: "%.1f MiB", bytes / 1_048_576) : String(format: "%.1f KiB", bytes / 1024)
    }
}

extension TrainWorkflow {
    /// `run` as one rank of an MPI job (see `ClusterTraining`): the outcome at rank 0, nil elsewhere.
    public func run(across cluster: Cluster, data: String, events: WorkflowEvents = .silent) throws -> TrainOutcome? {
        try ClusterTraining.run(across: cluster, options: options, events: events,
                                prepare: { try prepare(data: data, session: $0) }, fit: { try $0.fit() })
    }
}

extension FineTuneWorkflow {
    /// `run` as one rank of an MPI job (see `ClusterTraining`): the outcome at rank 0, nil elsewhere.
    ///
    /// - Parameter willFit: at rank 0, with the model's summary, before training starts.
    public func run(across cluster: Cluster, data: String, events: WorkflowEvents = .silent,
                    willFit: (ModelSummary) -> Void = { _ in }) throws -> (outcome: TrainOutcome, result: FineTuneResult)? {
        try ClusterTraining.run(across: cluster, options: options, events: events,
                                prepare: { try prepare(data: data, session: $0) },
                                fit: { start in
                                    if cluster.isRoot { willFit(start.summary) }
                                    return try start.fit()
                                })
    }
}
