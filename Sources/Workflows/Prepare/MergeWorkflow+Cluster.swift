import Cluster
import DataPrep

extension MergeWorkflow {
    /// `run` as one rank of an MPI job. The SHA-256 of every record of both inputs (the cost
    /// of a merge: CIFAR's records need only a transposition to decode) is shared: each chunk
    /// of records is divided among the ranks, each reading the inputs itself, and only the
    /// digests travel to rank 0 (`ClusterDecodeSharing`), which alone plans, writes and
    /// commits, so the output is byte for byte the single process's. Failures are agreed as
    /// `ClusterDecodeSharing.run` says: nothing is committed unless every rank succeeded.
    ///
    /// - Returns: the summary at rank 0; nil on the other ranks.
    public func run(across cluster: Cluster, events: WorkflowEvents = .silent) throws -> SplitSummary? {
        let sharing = ClusterDecodeSharing(cluster: cluster)
        var workflow = self
        workflow.merge.decodeSharing = sharing
        return try sharing.run(root: { try workflow.run(events: events) }, share: { try workflow.configuredMerge().hashShares() })
    }
}
