import DataPrep

/// What `train --out` may write into, and which checkpoint of a run `--resume` continues from.
///
/// A run folder is recognised by what `train` writes first: `history.csv` or `history.json`
/// (each written atomically, csv first: a kill between the two leaves only the csv), a `last/`
/// or `best/` holding `checkpoint.json`, or `fine-tune.json` (written before the first epoch).
/// Checkpoints are staged in a hidden sibling and renamed into place (`Checkpoint.save`), so a
/// folder named `last` or `best` is either complete or absent; the hidden `.NAME.partial-PID`
/// folder a killed or failed save leaves behind is recognisable and never read.
public enum RunFolder {
    /// What is at an output path.
    public enum Contents: Equatable, Sendable {
        case absent
        /// A folder with nothing but hidden staging leftovers of a killed run.
        case empty
        case run
        /// Something that is not ours: a file, or a folder with other entries (`entries`: a few of them).
        case other(entries: [String])
    }

    /// Files a run folder may hold, for the check above.
    static let markers = ["history.csv", "history.json", "fine-tune.json"]

    public static func contents(of path: String) throws -> Contents {
        guard FileIO.exists(path) else { return .absent }
        guard FileIO.isDirectory(path) else { return .other(entries: [lastPathComponent(path)]) }
        let entries = try FileIO.listAll(path).filter { !isStagingLeftover($0) }
        if entries.isEmpty { return .empty }
        if markers.contains(where: entries.contains)
            || ["last", "best"].contains(where: { FileIO.exists(joinPath(joinPath(path, $0), Checkpoint.infoFile)) }) {
            return .run
        }
        return .other(entries: Array(entries.sorted().prefix(3)))
    }

    /// `.NAME.partial-PID` (a staged checkpoint) and `.NAME.tmp-PID` (an atomic file write).
    static func isStagingLeftover(_ name: String) -> Bool {
        name.hasPrefix(".") && (name.contains(".partial-") || name.contains(".tmp-"))
    }

    /// Checks, before anything is trained, that `path` can receive a new run: absent or empty,
    /// or an earlier run when `overwrite` is set (it is then removed by `clear`).
    /// - Throws: `TrainError.outputRefused` for a folder that is not a run (whatever `overwrite`
    ///   says: we never delete the user's files) and for an earlier run without `overwrite`.
    public static func checkNewRun(at path: String, overwrite: Bool) throws {
        switch try contents(of: path) {
        case .absent, .empty:
            return
        case .run:
            if overwrite { return }
            throw TrainError.outputRefused(path: path, reason: "holds an earlier run: continue it with --resume \(path), "
                + "replace it with --overwrite, or choose another --out")
        case .other(let entries):
            throw TrainError.outputRefused(path: path, reason: "exists and is not a training run (it holds \(entries.joined(separator: ", "))"
                + "\(entries.count == 3 ? ", …" : "")): refusing to write into it; choose another --out")
        }
    }

    /// Removes an earlier run at `path` (after `checkNewRun(at:overwrite: true)`); nothing else.
    public static func clear(_ path: String) throws {
        guard try contents(of: path) == .run else { return }
        try FileIO.removeTree(path)
    }

    /// A checkpoint `--resume` can continue from.
    public struct ResumePoint: Sendable {
        /// `RUN/last` or `RUN/best`.
        public var directory: String
        public var info: CheckpointInfo
        /// Checkpoints passed over and why (missing, unreadable, older).
        public var passedOver: [String]
    }

    /// The newest complete checkpoint of `run` among `last/` and `best/`: the one with the most
    /// optimizer steps (`last/` on a tie). `best/` is newer when a save stopped between the two
    /// (a full disk, a kill): both are full training checkpoints, so either continues exactly.
    ///
    /// - Throws: `TrainError.invalidConfiguration` when neither holds a readable checkpoint,
    ///   naming what was found in each.
    public static func newestCheckpoint(in run: String) throws -> ResumePoint {
        var candidates: [(directory: String, info: CheckpointInfo)] = []
        var problems: [String] = []
        for name in ["last", "best"] {
            let directory = joinPath(run, name)
            guard FileIO.exists(joinPath(directory, Checkpoint.infoFile)) else {
                problems.append("\(name)/: no \(Checkpoint.infoFile)"); continue
            }
            do {
                let info = try Checkpoint.loadInfo(from: directory)
                guard info.training != nil, info.state != nil else { problems.append("\(name)/: no training state"); continue }
                let missing = [Checkpoint.weightsFile, Checkpoint.optimizerFile].filter { !FileIO.exists(joinPath(directory, $0)) }
                guard missing.isEmpty else { problems.append("\(name)/: missing \(missing.joined(separator: ", "))"); continue }
                candidates.append((directory, info))
            } catch {
                problems.append("\(name)/: \(error)")
            }
        }
        guard !candidates.isEmpty else {
            throw TrainError.invalidConfiguration(reason: "\(run): no checkpoint to resume (\(problems.joined(separator: "; ")))")
        }
        let newest = candidates.enumerated().max { a, b in
            let sa = a.element.info.state!.step, sb = b.element.info.state!.step
            return sa != sb ? sa < sb : a.offset > b.offset
        }!.element
        for other in candidates where other.directory != newest.directory {
            problems.append("\(lastPathComponent(other.directory))/: older (step \(other.info.state!.step))")
        }
        return ResumePoint(directory: newest.directory, info: newest.info, passedOver: problems)
    }
}
