import ArgumentParser
import DataPrep
import Foundation

/// `dataprep info PATH...`: what each input is, how many samples, shapes, classes, histograms.
struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Detect the format of each input and print counts, shapes, dtype, class names and per-class histograms.",
        discussion: """
        Every input is fully decoded, so a truncated, corrupt or lying file is found now. A file named on the \
        command line that cannot be decoded makes the command exit 1 with the error (the other inputs are still \
        reported). Unreadable images inside a folder or zip are skipped and listed, unless --strict.

        Exit status: 0 all inputs decoded; 1 an input failed; 64 bad usage.
        """)

    @Argument(help: "Inputs: dataset folders, .zip/.tar.gz archives, IDX (.gz) files, CIFAR .bin batches, JPEG or PNG files.", completion: .file())
    var paths: [String]

    @OptionGroup var options: CommonOptions
    @OptionGroup var strictness: StrictOption

    func run() throws {
        var reports: [DatasetReport] = []
        var failures: [(path: String, message: String)] = []
        for path in paths {
            let bar = ProgressBar(label: lastPathComponent(path), enabled: options.progress.enabled)
            let inspector = DatasetInspector(strict: strictness.strict, threads: options.threads,
                                             progress: { bar.update($0, of: $1) })
            do {
                let report = try inspector.inspect(path)
                bar.finish()
                reports.append(report)
                if !options.json { CommandSupport.printLine(ReportText.render(report)) }
            } catch {
                bar.finish()
                failures.append((path, "\(error)"))
                CommandSupport.error(error)
            }
        }
        if options.json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            let output = InfoOutput(reports: reports, errors: failures.map { InfoOutput.Failure(path: $0.path, message: $0.message) })
            print(String(decoding: try encoder.encode(output), as: UTF8.self))
        }
        if !failures.isEmpty { throw ExitCode(1) }
    }
}

/// The `--json` document: every report, and every input that failed with its message.
struct InfoOutput: Encodable {
    struct Failure: Encodable {
        let path: String
        let message: String
    }

    let reports: [DatasetReport]
    let errors: [Failure]
}
