/// Builds the `info` report for any input `DatasetSource.open` recognises: decodes everything
/// once, so a file that cannot be decoded is found here rather than in the middle of training.
/// Each reader makes its own report (`DatasetReader.report`); this holds how thoroughly.
public struct DatasetInspector: Sendable {
    /// Fail on the first unreadable image instead of reporting it and going on.
    public var strict = false
    public var threads = Parallel.defaultThreads
    /// Called from worker threads with (images checked so far, total) while a collection is scanned.
    public var progress: (@Sendable (Int, Int) -> Void)?

    public init(strict: Bool = false, threads: Int = Parallel.defaultThreads, progress: (@Sendable (Int, Int) -> Void)? = nil) {
        self.strict = strict
        self.threads = threads
        self.progress = progress
    }

    public func inspect(_ path: String) throws -> DatasetReport {
        try DatasetSource.open(path).report(self)
    }
}
