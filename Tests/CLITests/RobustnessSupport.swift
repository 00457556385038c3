import DataPrep
import Foundation
import Testing
import TestSupport

/// Shared by `KillTests` and `DeterminismTests`: inputs big enough to interrupt, running the
/// binary in a chosen folder (so the recorded command line is the same in every run), and
/// output trees reduced to what must be byte-identical.
enum Robustness {
    /// `count` distinct 16x16 RGB PNGs in `cat/` and `dog/` under a new temp folder: long enough
    /// to decode, split and write (as png, idx, cifar and wds) that a kill can land mid-write.
    static func pngFolder(count: Int) throws -> String {
        let root = try ScratchFolder.make("png-source")
        for i in 0..<count {
            let cls = i % 2 == 0 ? "cat" : "dog"
            let pixels = (0..<(16 * 16 * 3)).map { UInt8(truncatingIfNeeded: $0 * 7 + i * 13 + ($0 % 3) * i) }
            try FileIO.makeDirectories(root + "/" + cls)
            try FileIO.writeAtomically(PNG.encode(Image(width: 16, height: 16, channels: 3, pixels: pixels)),
                                       to: "\(root)/\(cls)/\(i).png")
        }
        return root
    }

    /// Runs `dataprep ARGS` in `cwd` to completion.
    static func run(_ arguments: [String], in cwd: String) throws -> CommandResult {
        try CommandRunner.run(arguments, cwd: cwd)
    }

    /// Starts `dataprep ARGS` in `cwd` and SIGKILLs it after `delay` seconds (if still running).
    /// Returns true when the kill landed before the process finished.
    static func runAndKill(_ arguments: [String], in cwd: String, after delay: Double) throws -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandRunner.binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: cwd)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        Thread.sleep(forTimeInterval: delay)
        let killed = process.isRunning && kill(process.processIdentifier, SIGKILL) == 0
        process.waitUntilExit()
        return killed && process.terminationReason == .uncaughtSignal
    }

    /// Wall-clock seconds `body` takes.
    static func timed(_ body: () throws -> Void) rethrows -> Double {
        let start = Date()
        try body()
        return Date().timeIntervalSince(start)
    }

    /// Fields that hold wall times (`EpochRecord.seconds`, `.samplesPerSecond`): the only bytes
    /// of a training run that differ between two runs with the same seed.
    static let timingKeys: Set<String> = ["seconds", "samplesPerSecond"]

    /// SHA-256 of every non-hidden file below `root`, keyed by relative path. Training outputs are
    /// reduced first: JSON files lose `timingKeys`, `history.csv` its last two (timing) columns,
    /// and `report.html` (a page that prints the timings) is left out.
    static func comparableTree(_ root: String) throws -> [String: String] {
        var result: [String: String] = [:]
        for (relative, bytes) in try files(root) {
            let name = lastPathComponent(relative)
            if name == "report.html" { continue }
            var content = bytes
            if name.hasSuffix(".json"), let object = try? JSONSerialization.jsonObject(with: Data(bytes)) {
                content = Array(try JSONSerialization.data(withJSONObject: stripTimings(object), options: [.sortedKeys]))
            } else if name == "history.csv" {
                let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n")
                content = Array(lines.map { $0.split(separator: ",", omittingEmptySubsequences: false).dropLast(2).joined(separator: ",") }
                    .joined(separator: "\n").utf8)
            }
            result[relative] = SHA256.hexHash(content)
        }
        return result
    }

    /// Every non-hidden regular file below `root` (hidden files and folders skipped: staging
    /// folders and temp files are dot-named), keyed by relative path.
    static func files(_ root: String) throws -> [String: [UInt8]] {
        var result: [String: [UInt8]] = [:]
        func walk(_ relative: String) throws {
            let path = relative.isEmpty ? root : root + "/" + relative
            for entry in try FileIO.listDirectory(path) {
                let child = relative.isEmpty ? entry : relative + "/" + entry
                if FileIO.isDirectory(root + "/" + child) { try walk(child) } else { result[child] = try FileIO.read(root + "/" + child) }
            }
        }
        try walk("")
        return result
    }

    private static func stripTimings(_ value: Any) -> Any {
        if let object = value as? [String: Any] {
            return object.filter { !timingKeys.contains($0.key) }.mapValues(stripTimings)
        }
        if let array = value as? [Any] { return array.map(stripTimings) }
        return value
    }

    /// Names in `folder` that are not `allowed` and not hidden leftovers of a killed run
    /// (`.NAME.partial-PID` staging folders, `.NAME.tmp-PID` temp files).
    static func unexpectedEntries(in folder: String, allowed: Set<String>) throws -> [String] {
        try FileIO.listAll(folder).filter { name in
            if allowed.contains(name) { return false }
            return !(name.hasPrefix(".") && (name.contains(".partial-") || name.contains(".tmp-")))
        }
    }

    /// The loop count of the kill tests: `DATAPREP_KILL_ITERATIONS`, default 20.
    static var killIterations: Int {
        ProcessInfo.processInfo.environment["DATAPREP_KILL_ITERATIONS"].flatMap(Int.init) ?? 20
    }
}
