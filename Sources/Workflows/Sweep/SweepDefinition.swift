import DataPrep
import Foundation

/// What a sweep is, recorded in `DIR/sweep.json` before anything trains: `--resume` continues
/// only the sweep that is recorded there, and refuses another definition.
public struct SweepDefinition: Codable, Equatable, Sendable {
    public static let fileName = "sweep.json"
    public var format = "dataprep-sweep"
    public var version = 1
    public var data: String
    /// The model spec text (with its placeholders), nil when the grid lists whole specs.
    public var model: String?
    public var grid: SweepGrid
    public var repeats: Int
    public var seed: UInt64
    /// The train options every variant shares, as given (thread counts and output flags left
    /// out: they change no weight).
    public var trainArguments: [String]
    /// The epoch metric that picks each run's best epoch and ranks the summary.
    public var metric: String

    public init(data: String, model: String?, grid: SweepGrid, repeats: Int, seed: UInt64, trainArguments: [String], metric: String) {
        self.data = data; self.model = model; self.grid = grid; self.repeats = repeats; self.seed = seed
        self.trainArguments = trainArguments; self.metric = metric
    }

    /// The fields where `other` differs from this definition, by their flag names.
    func differences(from other: SweepDefinition) -> [String] {
        var fields: [String] = []
        if data != other.data { fields.append("DATA (\(other.data))") }
        if model != other.model { fields.append("--model") }
        if grid != other.grid { fields.append("--grid/--variants") }
        if repeats != other.repeats { fields.append("--repeat (\(other.repeats))") }
        if seed != other.seed { fields.append("--seed (\(other.seed))") }
        if trainArguments != other.trainArguments { fields.append("train options (\(other.trainArguments.joined(separator: " ")))") }
        if metric != other.metric { fields.append("--metric (\(other.metric))") }
        if format != other.format || version != other.version { fields.append("format") }
        return fields
    }

    /// Names a sweep folder holds; anything else means it is not ours.
    static let ownEntries: Set<String> = [fileName, "runs", "logs", "sweep.log", "summary.csv", "summary.json", "report.html",
                                          "curves-val_loss.png", "curves-val_loss.svg", "curves-val_accuracy.png", "curves-val_accuracy.svg"]

    /// Checks `directory` before anything is written: absent or empty starts a new sweep; a
    /// sweep recorded there continues with `resume` when its definition is this one. A folder
    /// we did not make is always refused, as `RunFolder` refuses one for a run.
    /// - Returns: whether a recorded sweep is being continued.
    func prepare(_ directory: String, resume: Bool) throws -> Bool {
        let recorded = joinPath(directory, Self.fileName)
        if FileIO.exists(directory) {
            guard FileIO.isDirectory(directory) else { throw SweepError.outputRefused(path: directory, reason: "is a file, not a sweep folder") }
            let entries = try FileIO.listAll(directory).filter { !($0.hasPrefix(".") && $0.contains(".tmp-")) }
            if !entries.isEmpty {
                guard FileIO.exists(recorded), entries.allSatisfy(Self.ownEntries.contains) else {
                    let some = entries.sorted().prefix(3).joined(separator: ", ")
                    throw SweepError.outputRefused(path: directory, reason: "exists and is not a sweep (it holds \(some)): refusing to write into it; choose another --out")
                }
                guard resume else {
                    throw SweepError.outputRefused(path: directory, reason: "holds a sweep: continue it with --resume, or choose another --out")
                }
                let saved: SweepDefinition
                do { saved = try JSONDecoder().decode(SweepDefinition.self, from: Data(try FileIO.read(recorded))) } catch {
                    throw SweepError.outputRefused(path: recorded, reason: "unreadable sweep definition (\(error))")
                }
                let differences = differences(from: saved)
                guard differences.isEmpty else {
                    throw SweepError.outputRefused(path: directory, reason: "holds another sweep: it differs in \(differences.joined(separator: "; ")); run it as recorded in \(recorded), or choose another --out")
                }
                return true
            }
        }
        try FileIO.makeDirectories(directory)
        try FileIO.writeAtomically(Array(try JSONEncoder.sortedPretty.encode(self)) + [10], to: recorded)
        return false
    }
}
