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

    /// The default output folder of an evaluation of DATA's `split`: `RUN/eval-DATA-SPLIT` for a
    /// run's best checkpoint, `RUN/eval-NAME-DATA-SPLIT` for another checkpoint of a run (e.g.
    /// `eval-last-mnist-test`), else `eval-DATA-SPLIT` inside the checkpoint folder. Naming the
    /// data keeps an evaluation of another dataset from landing on an earlier one.
    public func evaluationDirectory(data: String, split: String) -> String {
        let leaf = "\(Self.dataName(data))-\(split)"
        guard let run else { return joinPath(directory, "eval-" + leaf) }
        let name = lastPathComponent(directory)
        return joinPath(run, name == "best" ? "eval-" + leaf : "eval-\(name)-" + leaf)
    }

    /// A folder-name-safe short name of a dataset path: its last component without archive
    /// extensions (`cifar-10-binary.tar.gz` → `cifar-10-binary`), other characters as `_`.
    public static func dataName(_ path: String) -> String {
        var trimmed = path
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
        var name = lastPathComponent(trimmed)
        for suffix in [".tar.gz", ".tgz", ".tar", ".zip", ".gz", ".bin"] where name.lowercased().hasSuffix(suffix) && name.count > suffix.count {
            name.removeLast(suffix.count)
            break
        }
        let safe = String(name.map { $0.isLetter || $0.isNumber || "-_.".contains($0) ? $0 : "_" })
        return safe.isEmpty || safe == "." || safe == ".." ? "data" : safe
    }

    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
