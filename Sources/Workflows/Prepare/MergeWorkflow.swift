import DataPrep

/// `merge-cifar`: CIFAR-10 plus one CIFAR-100 superclass as labels 10.., written like `split`.
public struct MergeWorkflow: Sendable {
    public var merge: CIFARMerge
    /// Relabels the merged classes.
    public var classMap: ClassMap?
    public var output: DatasetOutput
    public var threads: Int

    public init(merge: CIFARMerge, classMap: ClassMap? = nil, output: DatasetOutput, threads: Int = Parallel.defaultThreads) {
        self.merge = merge
        self.classMap = classMap
        self.output = output
        self.threads = threads
    }

    /// Merges and writes; the summary names the output folder.
    ///
    /// Unless the merge names one, decoded pixels are spilled beside the output (`CIFARMerge.spillDirectory`).
    public func run(events: WorkflowEvents = .silent) throws -> SplitSummary {
        let result = try configuredMerge().prepare()
        try output.write(result.prepared, threads: threads, events: events)
        return report(result)
    }

    /// The summary of a written `result`, naming the output folder.
    func report(_ result: SplitJob.Result) -> SplitSummary {
        var report = result.report
        report.output = output.folder
        return report
    }

    /// The merge as run: relabelled by the class map, spilling beside the output unless it names a folder.
    func configuredMerge() throws -> CIFARMerge {
        var merge = self.merge
        if let classMap { try merge.relabel(by: classMap) }
        if merge.spillDirectory == nil { merge.spillDirectory = try output.spillDirectory() }
        return merge
    }
}
