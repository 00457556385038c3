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
        guard let mpirun else { throw CocoaError(.executableNotLoadable) }
        let logs = NSTemporaryDirectory() + "dataprep-mpi-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: logs, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: logs) }
        _ = FileManager.default.createFile(atPath: logs + "/out", contents: nil)
        _ = FileManager.default.createFile(atPath: logs + "/err", contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: mpirun)
        var variables = ProcessInfo.processInfo.environment
        for (name, value) in environment { variables[name] = value }
        process.environment = variables
        process.arguments = ["--allow-run-as-root", "--oversubscribe", "-np", "\(ranks)"]
            + environment.keys.sorted().flatMap { ["-x", $0] } + [CommandRunner.binary] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: cwd)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: logs + "/out"))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: logs + "/err"))
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        var timedOut = false
        while process.isRunning {
            if Date() > deadline {
                timedOut = true
                process.terminate()  // mpirun forwards SIGTERM to its ranks
                break
            }
            usleep(20_000)
        }
        process.waitUntilExit()
        let result = CommandResult(status: process.terminationStatus,
                                   stdout: (try? String(contentsOfFile: logs + "/out", encoding: .utf8)) ?? "",
                                   stderr: (try? String(contentsOfFile: logs + "/err", encoding: .utf8)) ?? "")
        return (result, timedOut)
    }
}
