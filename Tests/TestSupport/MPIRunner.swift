import Foundation

/// Runs the built `dataprep` binary as N ranks under Open MPI's `mpirun` on this machine, the
/// way CI runs the distributed tests, with a deadline so a hung rank fails the test instead of
/// the suite.
public enum MPIRunner {
    /// `mpirun` on PATH, or nil (the tests then skip, saying so).
    public static var mpirun: String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/mpirun" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Why MPI tests cannot run here, or nil when they can.
    public static var skipReason: String? {
        if mpirun == nil { return "mpirun not found on PATH (install openmpi-bin libopenmpi-dev): skipping the MPI tests" }
        if ProcessInfo.processInfo.environment["DATAPREP_SANITIZER"] == "thread" {
            return "Open MPI is not built with ThreadSanitizer (its own threads would be reported): skipping the MPI tests"
        }
        return nil
    }

    /// CI sets `DATAPREP_REQUIRE_MPI=1`: there a missing mpirun fails the MPI tests instead of
    /// skipping them.
    public static var required: Bool { ProcessInfo.processInfo.environment["DATAPREP_REQUIRE_MPI"] == "1" && mpirun == nil }

    /// `mpirun -np ranks dataprep arguments…`, killed (with its ranks) after `timeout` seconds.
    ///
    /// - Parameter environment: extra variables, exported to every rank with `-x`.
    /// - Returns: the result, and whether the deadline was hit.
    public static func run(ranks: Int, _ arguments: [String], environment: [String: String] = [:], timeout: TimeInterval = 120,
                           cwd: String = TestPaths.repositoryRoot) throws -> (result: CommandResult, timedOut: Bool) {
        try launch(["-np", "\(ranks)", CommandRunner.binary] + arguments, environment: environment, timeout: timeout, cwd: cwd)
    }

    /// `mpirun` with `contexts` after the common options, killed (with its ranks) after `timeout` seconds.
    private static func launch(_ contexts: [String], environment: [String: String], timeout: TimeInterval,
                               cwd: String) throws -> (result: CommandResult, timedOut: Bool) {
        guard let mpirun else { throw CocoaError(.executableNotLoadable) }
        let arguments = ["--allow-run-as-root", "--oversubscribe"] + environment.keys.sorted().flatMap { ["-x", $0] } + contexts
        let deadline = Date().addingTimeInterval(timeout)
        var timedOut = false
        // mpirun forwards the SIGTERM of a missed deadline to its ranks.
        let result = try CommandRunner.runLogged(mpirun, arguments, environment: ProcessInfo.processInfo.environment.merging(environment) { $1 },
                                                 cwd: cwd) { _ in
            usleep(20_000)
            timedOut = Date() > deadline
            return !timedOut
        }
        return (result, timedOut)
    }

    /// `mpirun` with one app context per rank (MPMD: `-np 1 … : -np 1 …`), rank r's command
    /// being `prefixes[r]` followed by `dataprep arguments…`: how a test runs one rank under a
    /// wrapper (another umask, another mount namespace) while the others run plainly.
    public static func run(prefixes: [[String]], _ arguments: [String], environment: [String: String] = [:], timeout: TimeInterval = 120,
                           cwd: String = TestPaths.repositoryRoot) throws -> (result: CommandResult, timedOut: Bool) {
        var contexts: [String] = []
        for (rank, prefix) in prefixes.enumerated() {
            if rank > 0 { contexts.append(":") }
            contexts += ["-np", "1"] + prefix + [CommandRunner.binary] + arguments
        }
        return try launch(contexts, environment: environment, timeout: timeout, cwd: cwd)
    }
}
