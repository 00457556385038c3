import Cluster
import DataPrep

extension MergeWorkflow {
    /// `run` as one rank of an MPI job, writing byte for byte the single process's output; rank
    /// 0 alone plans, writes and commits. Shared among the ranks, in contiguous shares of each
    /// chunk (`ClusterDecodeSharing`, `ClusterEncodeSharing`):
    /// - the SHA-256 of every record of both inputs (a CIFAR record decodes by a transposition,
    ///   cheaper than sending it): every rank reads the inputs itself, only digests travel;
    /// - with PNG files or WebDataset shards asked for, their encoding (the cost of such a
    ///   write): every rank then receives every digest and merges too (the plan is seeded, so
    ///   theirs is rank 0's), encodes its share of each chunk of the merged samples, and sends
    ///   the PNGs to rank 0, which writes them.
    ///
    /// Failures are agreed as `ClusterDecodeSharing.run` says: nothing is committed unless
    /// every rank succeeded.
    ///
    /// - Returns: the summary at rank 0; nil on the other ranks.
    public func run(across cluster: Cluster, events: WorkflowEvents = .silent) throws -> SplitSummary? {
        let encodes = output.encodesImages
        let sharing = ClusterDecodeSharing(cluster: cluster, everyRankKeeps: encodes)
        var workflow = self
        workflow.merge.decodeSharing = sharing
        if encodes { workflow.output.encodeSharing = ClusterEncodeSharing(cluster: cluster) }
        return try sharing.run(root: { try workflow.run(events: events) }, share: {
            let merge = try workflow.configuredMerge()
            guard encodes else { return try merge.hashShares() }
            try workflow.output.encodeShares(try merge.prepare().prepared, threads: threads)
        })
    }
}
