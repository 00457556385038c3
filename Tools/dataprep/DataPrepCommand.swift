import ArgumentParser
import Augment
import Cluster
import DataPrep
import Foundation
import Train
import Workflows

/// The `dataprep` root command: lists the subcommands; each lives in its own file.
@main
struct DataPrepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dataprep",
        abstract: "Decode, inspect and prepare image-classification datasets (MNIST, CIFAR, photo folders).",
        discussion: """
        Inputs are recognised by their contents: a folder with MNIST/Fashion-MNIST IDX files (raw or .gz), \
        an extracted CIFAR-10/100 binary folder or the official .tar.gz, a folder or .zip of JPEG/PNG images \
        labelled Kaggle-style (cat.123.jpg) or one folder per class, or a single IDX, CIFAR batch, JPEG or PNG file.

        Shell completion: `dataprep --generate-completion-script bash|zsh|fish` prints a script that completes \
        subcommands, flags, paths and model presets (e.g. `dataprep --generate-completion-script bash > \
        /etc/bash_completion.d/dataprep`).
        """,
        version: "0.1.0",
        subcommands: [InfoCommand.self, SplitCommand.self, MergeCIFARCommand.self, TrainCommand.self, FineTuneCommand.self, SweepCommand.self, CompareCommand.self, EvaluateCommand.self, ExplainCommand.self, ModelCommand.self, AugmentCommand.self, DownloadCommand.self])

    /// Parses, runs the subcommand, and maps what it throws to an exit status in this one place:
    /// usage errors (the parser's, `ValidationError`, `WorkflowError`) exit 64, `ExitCode` and
    /// `--help` pass through, and every other error (the libraries' typed errors: the data, a
    /// checkpoint, a refused output) is one escaped `error:` line on stderr and exit 1.
    static func main() {
        var command: any ParsableCommand
        do { command = try parseAsRoot() } catch { exit(withError: error) }
        let cluster: Cluster?
        do { cluster = try Cluster.joinIfLaunched() } catch { exitReporting(error) }
        if let cluster { runAsRank(command, of: cluster) }
        do { try command.run() } catch { exitReporting(error) }
    }

    /// Maps an error to its exit status (see `main`) and exits.
    static func exitReporting(_ error: any Error) -> Never {
        switch error {
        case let error as WorkflowError:
            switch error {
            case .invalidRequest(let message): exit(withError: ValidationError(message))
            case .rejectedChoice:
                CommandSupport.error(error)
                exit(withError: ExitCode.validationFailure)
            }
        case let error as SweepError where error.isUsage:
            CommandSupport.error(error)
            exit(withError: ExitCode.validationFailure)
        case _ where isLibraryError(error):
            CommandSupport.error(error)
            exit(withError: ExitCode(1))
        default:
            exit(withError: error)
        }
    }

    /// Runs `command` as one rank of an MPI job. A command that divides its work
    /// (`DistributedCommand`) runs its share; any other refuses to run on more than one rank
    /// (every rank would write the same output). An error every rank agreed on is reported by
    /// rank 0 alone, after MPI is finalized; one that escaped outside an agreed phase, where
    /// other ranks may be waiting in a collective, aborts the job.
    static func runAsRank(_ command: any ParsableCommand, of cluster: Cluster) -> Never {
        var command = command
        do {
            if let distributed = command as? any DistributedCommand {
                try distributed.run(across: cluster)
            } else if cluster.size > 1 {
                let name = type(of: command).configuration.commandName ?? "this command"
                throw ClusterFailure(error: ClusterError.notDistributed(command: name, ranks: cluster.size), failedRank: 0)
            } else {
                try command.run()
            }
        } catch let failure as ClusterFailure {
            cluster.finalize()
            // The job's status is rank 0's: it reports the agreed error and exits non-zero. The
            // other ranks exit 0, because mpirun ends the whole job at the first non-zero exit
            // and could kill rank 0 before its `error:` line is written (seen under load).
            guard cluster.isRoot else { Foundation.exit(0) }
            exitReporting(failure.error)
        } catch let status as ExitCode {
            // A status the command chose at rank 0 after agreed work (130: an interrupted
            // training run, stopped at the same step on every rank and saved).
            cluster.finalize()
            Foundation.exit(status.rawValue)
        } catch where cluster.size == 1 {
            cluster.finalize()
            exitReporting(error)
        } catch {
            CommandSupport.note("error: rank \(cluster.rank): " + DisplayText.escaped("\(error)"))
            cluster.abort(code: 1)
            Foundation.exit(1)
        }
        cluster.finalize()
        Foundation.exit(0)
    }

    /// The typed errors of our libraries: bad data, a checkpoint, a refused output. Everything
    /// else (`ExitCode`, `ValidationError`, help requests) is the argument parser's to report.
    static func isLibraryError(_ error: any Error) -> Bool {
        error is DataPrepError || error is SplitError || error is MergeError || error is ClassMapError || error is TrainError
            || error is AugmentError || error is SweepError || error is ClusterError
    }
}
