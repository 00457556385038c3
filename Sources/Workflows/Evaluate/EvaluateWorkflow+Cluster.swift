import Cluster
import DataPrep
import Train

extension EvaluateWorkflow {
    /// `run` as one rank of an MPI job: every rank loads the checkpoint and DATA (from a shared
    /// filesystem; a photo collection's decoding is divided among the ranks, and every rank
    /// receives all of it) and runs the forward passes of its contiguous share of whole batches;
    /// rank 0 gathers the shares in sample order and writes exactly the files one process writes.
    ///
    /// Shares are whole batches of `batchSize` so every batch, and so every batch's mean loss,
    /// is the one the single process computes; rank 0 sums those terms in batch order. Each phase
    /// ends in `Cluster.agree`, so an error on any rank (a refused output folder at rank 0, an
    /// unreadable file anywhere) reaches every rank and nothing is written. Loading ends in an
    /// exchange every rank reaches whatever happened before it (see `SplitWorkflow.run(across:)`).
    ///
    /// - Returns: the outcome at rank 0; nil on the other ranks.
    /// - Throws: `ClusterFailure` on every rank when any rank failed.
    public func run(across cluster: Cluster, events: WorkflowEvents = .silent) throws -> Outcome? {
        let events = cluster.isRoot ? events : .silent
        let sharing = ClusterDecodeSharing(cluster: cluster, everyRankKeeps: true)
        let prepared = Result { try prepare(checkingOutput: cluster.isRoot, events: events, sharing: sharing) }
        if case .failure(let failure as ClusterFailure) = prepared { throw failure }  // agreed while decoding
        let setup = try cluster.agree { try prepared.get() }
        let share = Shard.blocks(count: setup.dataset.count, block: batchSize, rank: cluster.rank, ranks: cluster.size)
        let packed = try cluster.agree { () -> [UInt8] in
            try cluster.faultPoint()
            var source = ArrayBatchSource(dataset: setup.dataset.gathering(Array(share)), normalization: setup.info.normalization)
            var terms: [Double] = []
            let predictions = try events.withProgress("evaluating (rank 0's share)") { bar in
                try Predictions.run(network: setup.network, loss: setup.loss, source: &source, batchSize: batchSize, lossTerms: &terms,
                                    progress: { bar.update($0, of: $1) })
            }
            return Self.pack(predictions, lossTerms: terms)
        }
        let shares = try cluster.gather(packed)
        return try cluster.agree { () -> Outcome? in
            guard let shares else { return nil }
            var parts: [Predictions] = [], terms: [[Double]] = []
            for (rank, bytes) in shares.enumerated() {
                let (part, partTerms) = try Self.unpack(bytes, from: rank)
                parts.append(part); terms.append(partTerms)
            }
            return try finish(setup, predictions: .concatenating(parts, lossTerms: terms))
        }
    }

    /// One rank's predictions and loss terms as one message.
    static func pack(_ predictions: Predictions, lossTerms: [Double]) -> [UInt8] {
        var packed = PackedBytes()
        packed.append([Int64(predictions.classes)])
        packed.append(predictions.labels.map(Int64.init))
        packed.append(predictions.predicted.map(Int64.init))
        packed.append(predictions.probabilities)
        packed.append(lossTerms)
        return packed.bytes
    }

    static func unpack(_ bytes: [UInt8], from rank: Int) throws -> (Predictions, [Double]) {
        var reader = PackedBytes.Reader(bytes, from: rank)
        let classes = try reader.next(Int64.self)
        let labels = try reader.next(Int64.self).map(Int.init), predicted = try reader.next(Int64.self).map(Int.init)
        let probabilities = try reader.next(Float.self), terms = try reader.next(Double.self)
        guard classes.count == 1, let c = classes.first.map(Int.init), c >= 1, predicted.count == labels.count,
              probabilities.count == labels.count * c else {
            throw ClusterError.malformedMessage(rank: rank, reason: "\(labels.count) labels, \(predicted.count) predictions and \(probabilities.count) probabilities for \(classes) classes do not pair up")
        }
        return (Predictions(classes: c, labels: labels, predicted: predicted, probabilities: probabilities, loss: 0), terms)
    }
}
