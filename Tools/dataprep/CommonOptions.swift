import ArgumentParser
import Cluster
import DataPrep
import Workflows

/// Flags every dataset command shares (info, split, merge-cifar, train, fine-tune, evaluate,
/// explain, augment preview), declared once.
struct CommonOptions: ParsableArguments {
    @Flag(name: .long, help: "Print the result as JSON on stdout (for scripts); progress, epoch lines and warnings stay on stderr.")
    var json = false

    // `.unconditional` so that `--threads -1` reaches validate() and is told what is wrong.
    @Option(name: .long, parsing: .unconditional, help: "Worker threads (default: all cores). Results are identical for any value.")
    var threads: Int = Parallel.defaultThreads

    @OptionGroup var progress: ProgressOption

    func validate() throws {
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1, got \(threads)") }
    }

    /// How the workflow talks back: notes and bars on stderr, results on stdout.
    var events: WorkflowEvents { .command(progress: progress.enabled, json: json) }
}

/// `--no-progress`: the dataset commands (through `CommonOptions`) and `download`.
struct ProgressOption: ParsableArguments {
    @Flag(name: .long, help: "Never draw a progress bar (it is drawn only when stderr is a terminal anyway).")
    var noProgress = false

    /// Whether a bar may be drawn (it still is only on a terminal).
    var enabled: Bool { !noProgress }
}

/// `--strict` of the commands that list what they skip (info, split, merge-cifar).
struct StrictOption: ParsableArguments {
    @Flag(name: .long, help: "Stop at the first image that cannot be decoded instead of skipping and reporting it.")
    var strict = false
}

/// `--seed` of every command that makes random choices, resolved and announced in one place.
struct SeedOption: ParsableArguments {
    @Option(name: .long, help: "Seed for every random choice (printed when omitted). Same inputs and seed give byte-identical outputs.")
    var seed: UInt64?

    /// The seed given, or a fresh one announced on stderr so the output can be made again.
    func resolve(repeating what: String = "this run exactly") -> UInt64 { CommandSupport.seed(seed, repeating: what) }

    /// Rank 0 resolves the seed (announcing a fresh one once) and shares it, so every rank
    /// holds the same job.
    func resolve(across cluster: Cluster) throws -> UInt64 {
        var seed = cluster.isRoot ? resolve() : 0
        let bytes = try cluster.broadcast(withUnsafeBytes(of: &seed) { Array($0) })
        return bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
    }
}

/// `WxH` on the command line (`--resize`): both sides in 1...16384.
struct ImageSize: ExpressibleByArgument, Sendable {
    let width: Int
    let height: Int

    init?(argument: String) {
        let parts = argument.lowercased().split(separator: "x")
        guard parts.count == 2, let w = Int(parts[0]), let h = Int(parts[1]), (1...16384).contains(w), (1...16384).contains(h) else { return nil }
        width = w; height = h
    }

    /// `text` parsed, as the libraries take a size; nil when absent or malformed (validate() says which).
    static func parse(_ text: String?) -> (width: Int, height: Int)? {
        text.flatMap(ImageSize.init(argument:)).map { ($0.width, $0.height) }
    }
}
