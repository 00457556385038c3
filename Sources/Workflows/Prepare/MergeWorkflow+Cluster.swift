import Cluster
import DataPrep

extension MergeWorkflow {
    /// `run` as one rank of an MPI job, writing byte for byte the single process's output.
    /// Shared among the ranks, in contiguous shares of each chunk (`ClusterDecodeSharing`):
    /// the SHA-256 of every record of both inputs (a CIFAR record decodes by a transposition,
    /// cheaper than sending it): every rank reads the inputs itself, only digests travel.
    ///
    /// Every rank then writes its shard of the output (`DatasetOutput.write(_:across:…)`). With
    /// PNG files or WebDataset shards asked for (the cost of such a write), every rank receives
    /// every digest and merges too (the plan is seeded, so theirs is rank 0's): holding the
    /// merged samples, each writes its share of the arrays, its PNG files and its shards.
    /// Otherwise rank 0 alone merges and writes the arrays, and the ranks read their share of
    /// the float32 export's samples back from the staged `x.npy`.
    ///
    /// Failures are agreed as `ClusterDecodeSharing.run` and the write say: nothing is
    /// committed unless every rank succeeded.
    ///
    /// - Returns: the summary at rank 0; nil on the other ranks.
    public func run(across cluster: Cluster, events: WorkflowEvents = .silent) throws -> SplitSummary? {
        let encodes = output.encodesImages
        let sharing = ClusterDecodeSharing(cluster: cluster, everyRankKeeps: encodes)
        var workflow = self
        workflow.merge.decodeSharing = sharing
        let result = try sharing.run(root: { try workflow.configuredMerge().prepare() }, share: {
            let merge = try workflow.configuredMerge()
            guard encodes else { try merge.hashShares(); return nil }
            return try merge.prepare()
        })
        try output.write(result?.prepared, across: cluster, everyRankHolds: encodes, threads: threads, events: events)
        return cluster.isRoot ? result.map(report) : nil
    }
}
