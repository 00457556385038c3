import Cluster
import DataPrep

extension SplitWorkflow {
    /// `run` as one rank of an MPI job. A photo collection's decoding and resizing (the cost of
    /// a split) is shared: each chunk of the listing is divided among the ranks and gathered at
    /// rank 0 (`ClusterDecodeSharing`), which alone plans. Array sources (IDX, CIFAR, a split
    /// output) decode at rank 0 alone: reading them is not worth dividing. Then every rank
    /// writes its shard of the output (`DatasetOutput.write(_:across:…)`): the samples are on
    /// rank 0 alone, so it writes the arrays whole, and each rank reads its share back from
    /// the staged `x.npy` to write its float32 samples, PNG files and WebDataset shards. The
    /// output is byte for byte the single process's. Failures are agreed as
    /// `ClusterDecodeSharing.run` and the write say: nothing is committed unless every rank
    /// succeeded.
    ///
    /// - Returns: the summary at rank 0; nil on the other ranks.
    public func run(across cluster: Cluster, events: WorkflowEvents = .silent) throws -> SplitSummary? {
        let sharing = ClusterDecodeSharing(cluster: cluster)
        // Every rank opens the source: a path that is not a dataset stops them all here, reported once.
        let isCollection = try cluster.agree { try DatasetSource.open(job.source) is ImageCollection }
        var workflow = self
        workflow.job.load.decodeSharing = sharing
        let result = try sharing.run(root: { try workflow.prepare(events: events) }, share: {
            // The same load as rank 0's (same listing, sizes and chunks), keeping nothing.
            guard isCollection else { return nil }
            var options = job.load
            (options.hashSources, options.memoryCopies, options.spillDirectory) = (true, 0, nil)
            options.decodeSharing = sharing
            _ = try LoadedDataset.load(path: job.source, options: options)
            return nil
        })
        try output.write(result?.prepared, across: cluster, everyRankHolds: false, threads: job.load.threads, events: events)
        return result.map(report)
    }
}
