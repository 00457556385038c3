import Cluster
import DataPrep

extension SplitWorkflow {
    /// `run` as one rank of an MPI job. A photo collection's decoding and resizing (the cost of
    /// a split) is shared: each chunk of the listing is divided among the ranks and gathered at
    /// rank 0 (`ClusterDecodeSharing`), which alone plans, writes and commits, so the output is
    /// byte for byte the single process's. Array sources (IDX, CIFAR, a split output) decode
    /// at rank 0 alone: reading them is not worth dividing. Failures are agreed as
    /// `ClusterDecodeSharing.run` says: nothing is committed unless every rank succeeded.
    ///
    /// - Returns: the summary at rank 0; nil on the other ranks.
    public func run(across cluster: Cluster, events: WorkflowEvents = .silent) throws -> SplitSummary? {
        let sharing = ClusterDecodeSharing(cluster: cluster)
        // Every rank opens the source: a path that is not a dataset stops them all here, reported once.
        let isCollection = try cluster.agree { try DatasetSource.open(job.source) is ImageCollection }
        var workflow = self
        workflow.job.load.decodeSharing = sharing
        return try sharing.run(root: { try workflow.run(events: events) }, share: {
            // The same load as rank 0's (same listing, sizes and chunks), keeping nothing.
            guard isCollection else { return }
            var options = job.load
            (options.hashSources, options.memoryCopies, options.spillDirectory) = (true, 0, nil)
            options.decodeSharing = sharing
            _ = try LoadedDataset.load(path: job.source, options: options)
        })
    }
}
