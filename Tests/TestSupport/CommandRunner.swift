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

    public static func run(_ arguments: [String], cwd: String = TestPaths.repositoryRoot) throws -> CommandResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
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
