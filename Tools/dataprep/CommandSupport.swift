import ArgumentParser
import DataPrep
import Foundation
import Workflows

/// Small helpers every command shares: stderr messages, JSON on stdout, seeds, the recorded
/// command line.
enum CommandSupport {
    /// Writes an error on one line of stderr, names from the input escaped (`DisplayText`).
    static func error(_ error: any Error) {
        StagingSignals.holdIfInterrupted()
        note("error: " + DisplayText.escaped("\(error)"))
    }

    /// Writes `message` and a newline to stderr.
    static func note(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }

    /// Prints one progressive line (an epoch's figures) on stdout and flushes it, so a redirected
    /// log (`nohup`, `> log`, a pipe), which is block-buffered, shows it now rather than when
    /// 4 KiB have piled up. `fflush(nil)` flushes every output stream.
    static func printLine(_ line: String) {
        print(line)
        fflush(nil)
    }

    /// Prints `value` as pretty, key-sorted JSON on stdout.
    static func printJSON<T: Encodable>(_ value: T) throws {
        print(String(decoding: try JSONEncoder.sortedPretty.encode(value), as: UTF8.self))
    }

    /// The user's seed, or a fresh one announced on stderr so the run (or grid) can be repeated:
    /// the one place every command resolves `--seed`.
    static func seed(_ given: UInt64?, repeating what: String = "this run exactly") -> UInt64 {
        if let given { return given }
        var system = SystemRandomNumberGenerator()
        let seed = system.next() >> 1  // < 2^63: survives every JSON reader as an integer
        note("seed: \(seed) (pass --seed \(seed) to repeat \(what))")
        return seed
    }

    /// The command line as typed, shell-quoted, for manifests, without the flags that cannot
    /// change a byte of the output (`--threads N`, `--json`, `--no-progress`): the same command
    /// run with 1 or 8 threads then writes the same `dataset.json` and `manifest.json`.
    static var commandLine: String {
        var words: [String] = []
        var arguments = CommandLine.arguments.dropFirst()[...]
        while let word = arguments.popFirst() {
            if word == "--threads" { _ = arguments.popFirst(); continue }
            if word.hasPrefix("--threads=") || word == "--json" || word == "--no-progress" { continue }
            words.append(word)
        }
        return (["dataprep"] + words).map(shellQuoted).joined(separator: " ")
    }

    static func shellQuoted(_ word: String) -> String {
        let safe = word.allSatisfy { $0.isLetter || $0.isNumber || "-_./=,:@+%".contains($0) }
        return safe && !word.isEmpty ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// The end of `train` and `fine-tune`: the result as JSON with `json`, else the closing line
    /// of a finished run; an interrupted run (checkpoint saved) exits 130.
    static func finish<R: Encodable>(_ outcome: TrainOutcome, result: R, json: Bool) throws {
        if json {
            try printJSON(result)
        } else if outcome.reason != .interrupted {
            print(outcome.closingLine)
        }
        if outcome.reason == .interrupted { throw ExitCode(130) }
    }
}

extension ResizeFilter: ExpressibleByArgument {}

extension SplitJob.NormalizeMode: ExpressibleByArgument {}
extension CIFARMerge.Balance: ExpressibleByArgument {}
