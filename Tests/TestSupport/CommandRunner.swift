import Foundation

/// Runs the built `dataprep` binary the way a user would, capturing exit status and output.
public struct CommandResult: Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String
}

public enum CommandRunner {
    /// The `dataprep` executable next to the running test bundle (same build folder).
    public static var binary: String {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        if dir.pathExtension == "xctest" || dir.path.hasSuffix(".xctest") { dir.deleteLastPathComponent() }
        for candidate in [dir, dir.deletingLastPathComponent()] {
            let path = candidate.appendingPathComponent("dataprep").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return TestPaths.repositoryRoot + "/.build/debug/dataprep"
    }

    /// - Parameter environment: variables added to (or replacing) the test process's own.
    public static func run(_ arguments: [String], cwd: String = TestPaths.repositoryRoot,
                           environment: [String: String] = [:]) throws -> CommandResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: cwd)
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes before waiting so a large output cannot fill a pipe and deadlock.
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CommandResult(status: process.terminationStatus,
                             stdout: String(decoding: outData, as: UTF8.self),
                             stderr: String(decoding: errData, as: UTF8.self))
    }
}

extension CommandRunner {
    /// Runs `dataprep` like `run`, sampling the child's resident anonymous memory (`RssAnon` in
    /// `/proc/PID/status`) every millisecond until it exits: a per-process figure, so suites
    /// running in parallel in the test process cannot inflate it (as they do `/proc/self`).
    ///
    /// - Returns: the result and the largest `RssAnon` seen, in bytes (nil where the kernel does
    ///   not report it). Sampling can miss a peak shorter than a millisecond, never invent one.
    public static func runMeasuringPeakAnonymous(_ arguments: [String], cwd: String = TestPaths.repositoryRoot)
        throws -> (result: CommandResult, peakAnonymous: Int?) {
        var peak: Int?
        let result = try runLogged(binary, arguments, cwd: cwd) { process in
            let status = "/proc/\(process.processIdentifier)/status"
            if let text = try? String(contentsOfFile: status, encoding: .utf8),
               let line = text.split(separator: "\n").first(where: { $0.hasPrefix("RssAnon:") }),
               let kB = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") {
                peak = max(peak ?? 0, kB * 1024)
            }
            usleep(1000)
            return true
        }
        return (result, peak)
    }

    /// Runs `executable` with its output in log files (not pipes, so nothing has to be read
    /// while it runs), calling `poll` until it exits; `poll` returning false terminates it.
    public static func runLogged(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                                 cwd: String = TestPaths.repositoryRoot, poll: (Process) -> Bool) throws -> CommandResult {
        let logs = NSTemporaryDirectory() + "dataprep-logged-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: logs, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: logs) }
        _ = FileManager.default.createFile(atPath: logs + "/out", contents: nil)
        _ = FileManager.default.createFile(atPath: logs + "/err", contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        process.currentDirectoryURL = URL(fileURLWithPath: cwd)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: logs + "/out"))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: logs + "/err"))
        try process.run()
        while process.isRunning {
            if !poll(process) {
                process.terminate()
                break
            }
        }
        process.waitUntilExit()
        return CommandResult(status: process.terminationStatus,
                             stdout: (try? String(contentsOfFile: logs + "/out", encoding: .utf8)) ?? "",
                             stderr: (try? String(contentsOfFile: logs + "/err", encoding: .utf8)) ?? "")
    }
}
