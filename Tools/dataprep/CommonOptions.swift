import ArgumentParser
import DataPrep

/// Flags shared by every command that reads datasets.
struct CommonOptions: ParsableArguments {
    @Flag(name: .long, help: "Print the result as JSON on stdout (for scripts); progress and warnings stay on stderr.")
    var json = false

    @Option(name: .long, help: "Worker threads for decoding (default: all cores). Results are identical for any value.")
    var threads: Int = Parallel.defaultThreads

    @Flag(name: .long, help: "Stop at the first image that cannot be decoded instead of skipping and reporting it.")
    var strict = false

    @Flag(name: .long, help: "Never draw a progress bar (it is drawn only when stderr is a terminal anyway).")
    var noProgress = false

    func validate() throws {
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1, got \(threads)") }
    }
}
