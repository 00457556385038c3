import DataPrep

/// Where a checkpoint argument points: a checkpoint folder itself (`RUN/best`, `RUN/last`), or
/// a run folder, which means its best checkpoint — the one worth evaluating.
public struct CheckpointLocation: Equatable, Sendable {
    /// The folder holding `checkpoint.json` and `model.safetensors`.
    public var directory: String
    /// The run folder the checkpoint belongs to, when it sits in one (`RUN/` of `RUN/best`).
    public var run: String?

    /// Resolves `path`.
    /// - Throws: `TrainError.invalidConfiguration` naming both places looked at.
    public init(resolving path: String) throws {
        let trimmed = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
        if FileIO.exists(joinPath(trimmed, Checkpoint.infoFile)) {
            directory = trimmed
            let name = lastPathComponent(trimmed)
            let parent = Self.parent(of: trimmed)
            run = (name == "best" || name == "last") && FileIO.exists(joinPath(joinPath(parent, "best"), Checkpoint.infoFile))
                || FileIO.exists(joinPath(parent, "history.json")) ? parent : nil
        } else if FileIO.exists(joinPath(joinPath(trimmed, "best"), Checkpoint.infoFile)) {
            directory = joinPath(trimmed, "best")
            run = trimmed
        } else {
            throw TrainError.invalidConfiguration(reason: "\(path): not a checkpoint (no \(joinPath(trimmed, Checkpoint.infoFile))) "
                + "nor a run folder (no \(joinPath(joinPath(trimmed, "best"), Checkpoint.infoFile)))")
        }
    }

    /// The default output folder of an evaluation on `split`: `RUN/eval-SPLIT` for a run's best
    /// checkpoint, `RUN/eval-NAME-SPLIT` for another checkpoint of a run (e.g. `eval-last-test`),
    /// else `eval-SPLIT` inside the checkpoint folder.
    public func evaluationDirectory(split: String) -> String {
        guard let run else { return joinPath(directory, "eval-\(split)") }
        let name = lastPathComponent(directory)
        return joinPath(run, name == "best" ? "eval-\(split)" : "eval-\(name)-\(split)")
    }

    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
