import DataPrep
import Train

/// `compare`: the sweep's comparison table (and visuals) for runs that already exist, e.g. a
/// baseline and a regularized run trained separately. Runs are named by their folder names
/// (with the parent folder's name when two share one).
public struct CompareWorkflow {
    public var runs: [String]
    public var metric = "val_loss"
    /// The output folder: absent, empty, or an earlier comparison (replaced).
    public var out: String

    public init(runs: [String], out: String) {
        self.runs = runs
        self.out = out
    }

    public func run() throws -> ComparisonTable {
        let metric = try EpochMetric(parsing: self.metric)
        guard !runs.isEmpty else { throw WorkflowError.invalidRequest("compare needs at least one run folder") }
        try checkOutput()
        let names = Self.names(runs)
        let records = try zip(runs, names).map { try RunRecord.read(directory: $0, name: $1) }
        let table = try ComparisonTable(runs: records, metric: metric)
        try FileIO.makeDirectories(out)
        try table.write(to: out)
        try ComparisonVisuals.write(table: table, curves: ComparisonCurves(runs: records), to: out)
        return table
    }

    /// Files `compare` writes: an output folder holding only these is an earlier comparison.
    static let ownEntries: Set<String> = ["summary.csv", "summary.json", "report.html",
                                          "curves-val_loss.png", "curves-val_loss.svg", "curves-val_accuracy.png", "curves-val_accuracy.svg"]

    private func checkOutput() throws {
        guard FileIO.exists(out) else { return }
        guard FileIO.isDirectory(out) else { throw TrainError.outputRefused(path: out, reason: "is a file; choose another --out") }
        let entries = try FileIO.listAll(out).filter { !($0.hasPrefix(".") && $0.contains(".tmp-")) }
        let foreign = entries.filter { !Self.ownEntries.contains($0) }.sorted()
        guard foreign.isEmpty else {
            throw TrainError.outputRefused(path: out, reason: "exists and is not a comparison (it holds \(foreign.prefix(3).joined(separator: ", "))): refusing to write into it; choose another --out")
        }
    }

    /// Each run's folder name; where two share one, `parent/name` for all of those.
    public static func names(_ runs: [String]) -> [String] {
        func trimmed(_ path: String) -> String {
            var path = path
            while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
            return path
        }
        let leaves = runs.map { lastPathComponent(trimmed($0)) }
        return zip(runs, leaves).map { run, leaf in
            guard leaves.filter({ $0 == leaf }).count > 1 else { return leaf }
            let parent = lastPathComponent(trimmed(String(trimmed(run).dropLast(leaf.count))))
            return parent.isEmpty ? trimmed(run) : parent + "/" + leaf
        }
    }
}
