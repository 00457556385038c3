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
        var job = self.job
        if job.spillDirectory == nil { job.spillDirectory = try output.spillDirectory() }
        var result = try events.withProgress("decoding") { bar in try job.prepare(progress: { bar.update($0, of: $1) }) }
        try output.write(result.prepared, threads: job.load.threads, events: events)
        result.report.output = output.folder
        return result.report
    }
}
