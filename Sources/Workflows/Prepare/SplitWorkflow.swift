import DataPrep

/// `split`: a stratified, seeded, leak-checked split of any source, written as arrays (and the
/// extra formats asked for). The plan and the decoding are `SplitJob`'s; this adds progress and
/// the atomic write.
public struct SplitWorkflow: Sendable {
    public var job: SplitJob
    public var output: DatasetOutput

    public init(job: SplitJob, output: DatasetOutput) {
        self.job = job
        self.output = output
    }

    /// Decodes, splits and writes; the summary names the output folder.
    ///
    /// Unless the job names one, decoded pixels are spilled beside the output (`SplitJob.spillDirectory`).
    public func run(events: WorkflowEvents = .silent) throws -> SplitSummary {
        let result = try prepare(events: events)
        try output.write(result.prepared, threads: job.load.threads, events: events)
        return report(result)
    }

    /// Decodes and plans, spilling beside the output unless the job names a folder.
    func prepare(events: WorkflowEvents) throws -> SplitJob.Result {
        var job = self.job
        if job.spillDirectory == nil { job.spillDirectory = try output.spillDirectory() }
        return try events.withProgress("decoding") { bar in try job.prepare(progress: { bar.update($0, of: $1) }) }
    }

    /// The summary of a written `result`, naming the output folder.
    func report(_ result: SplitJob.Result) -> SplitSummary {
        var report = result.report
        report.output = output.folder
        return report
    }
}
