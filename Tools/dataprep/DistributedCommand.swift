import ArgumentParser
import Cluster

/// A subcommand that divides its work across the ranks of an MPI job (mpirun/srun) with
/// results identical to one process. Rank 0 alone prints.
protocol DistributedCommand: ParsableCommand {
    func run(across cluster: Cluster) throws
}
