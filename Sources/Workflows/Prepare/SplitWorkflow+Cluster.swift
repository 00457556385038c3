import Cluster
import DataPrep

extension SplitWorkflow {
    /// `run` as one rank of an MPI job. A photo collection's decoding and resizing (the cost of
    /// a split) is shared: each chunk of the listing is divided among the ranks and gathered at
    /// rank 0 (`ClusterDecodeSharing`), which alone plans, writes and commits, so the output is
    /// byte for byte the single process's. Array sources (IDX, CIFAR, a split output) decode
    /// at rank 0 alone: reading them is not worth dividing.
    ///
    /// A rank that fails while decoding stops every rank before anything is written; an error
    /// at rank 0 afterwards aborts the job (the output stays uncommitted either way).
    ///
    /// - Returns: the summary at rank 0; nil on the other ranks.
    public func run(across cluster: Cluster, events: WorkflowEvents = .silent) throws -> SplitSummary? {
        let sharing = ClusterDecodeSharing(cluster: cluster)
        // Every rank opens the source: a path that is not a dataset stops them all here, reported once.
        let isCollection = try cluster.agree { try DatasetSource.open(job.source) is ImageCollection }
        guard cluster.isRoot else {
            // The same load as rank 0's (same listing, sizes and chunks), keeping nothing.
            guard isCollection else { return nil }
            var options = job.load
            (options.hashSources, options.memoryCopies, options.spillDirectory) = (true, 0, nil)
            options.decodeSharing = sharing
            _ = try LoadedDataset.load(path: job.source, options: options)
            return nil
        }
        var workflow = self
        workflow.job.load.decodeSharing = sharing
        return try workflow.run(events: events)
    }
}
