import Cluster
import DataPrep

extension SplitWorkflow {
    /// `run` as one rank of an MPI job. A photo collection's decoding and resizing (the cost of
    /// a split) is shared: each chunk of the listing is divided among the ranks and gathered at
    /// rank 0 (`ClusterDecodeSharing`), which alone plans, writes and commits, so the output is
    /// byte for byte the single process's. Array sources (IDX, CIFAR, a split output) decode
    /// at rank 0 alone: reading them is not worth dividing.
    ///
    /// A rank that fails while decoding stops every rank before anything is written. Every
    /// other error (rank 0's write refused, a spill that cannot grow) is agreed in a last
    /// exchange, which every rank reaches with its own outcome: a rank that failed between two
    /// collectives meets the others' next one, which is an exchange of the same shape, so they
    /// all stop there. Nothing is committed unless every rank succeeded.
    ///
    /// - Returns: the summary at rank 0; nil on the other ranks.
    public func run(across cluster: Cluster, events: WorkflowEvents = .silent) throws -> SplitSummary? {
        let sharing = ClusterDecodeSharing(cluster: cluster)
        // Every rank opens the source: a path that is not a dataset stops them all here, reported once.
        let isCollection = try cluster.agree { try DatasetSource.open(job.source) is ImageCollection }
        let outcome = Result { () throws -> SplitSummary? in
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
        // Already agreed by every rank in a decoding exchange: no last exchange to meet.
        if case .failure(let failure as ClusterFailure) = outcome { throw failure }
        return try cluster.agree { try outcome.get() }
    }
}
