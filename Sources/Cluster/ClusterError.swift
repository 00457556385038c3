/// What can go wrong when dataprep runs as one rank of an MPI job.
public enum ClusterError: Error, Equatable, Sendable {
    /// Started by mpirun/srun, but the MPI library could not be loaded (not installed, another
    /// ABI, or a missing symbol): running alone would make every rank write the same output.
    case libraryUnavailable(path: String, reason: String)
    /// An MPI call returned an error code.
    case mpi(call: String, code: Int32, message: String)
    /// Another rank failed; its error, as it described it.
    case rankFailed(rank: Int, message: String)
    /// The command does not divide its work across ranks yet.
    case notDistributed(command: String, ranks: Int)
    /// One message exceeds what MPI's `int` counts address.
    case messageTooLarge(bytes: Int)
    /// A packed message ended early or held another shape than expected.
    case malformedMessage(rank: Int, reason: String)
    /// The test hook `DATAPREP_TEST_FAULT=RANK:fail` made this rank fail.
    case injectedFault(rank: Int)
    /// A folder rank 0 made (an output's staging folder) is absent on this rank: the ranks do
    /// not share the filesystem holding it, so they cannot write their shares into it.
    case notShared(path: String, rank: Int)
}

extension ClusterError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .libraryUnavailable(let path, let reason):
            return "started by an MPI launcher but \(path) cannot be loaded (\(reason)): install Open MPI (Debian: openmpi-bin, "
                + "which brings libmpi.so.40), point DATAPREP_MPI_LIBRARY at it, or set DATAPREP_MPI=off to run every rank alone"
        case .mpi(let call, let code, let message):
            return "\(call) failed with MPI error \(code)" + (message.isEmpty ? "" : ": \(message)")
        case .rankFailed(let rank, let message):
            return "rank \(rank) failed: \(message)"
        case .notDistributed(let command, let ranks):
            return "\(command) does not run across ranks yet (started as \(ranks) ranks): run it without mpirun/srun, or with -np 1"
        case .messageTooLarge(let bytes):
            return "a message of \(bytes) bytes exceeds MPI's limit of \(Int32.max) bytes per collective"
        case .malformedMessage(let rank, let reason):
            return "the message from rank \(rank) is malformed: \(reason)"
        case .injectedFault(let rank):
            return "rank \(rank) failed on purpose (DATAPREP_TEST_FAULT)"
        case .notShared(let path, let rank):
            return "\(path): rank \(rank) cannot see the folder rank 0 made: every rank writes its share of the output there, "
                + "so --out must be on a filesystem all ranks share (NFS, Lustre, GPFS…)"
        }
    }
}

/// An error every rank agreed on in `Cluster.agree`: the lowest failing rank holds its own
/// error, every other rank `ClusterError.rankFailed` naming it. Whoever catches it may finalize
/// MPI and exit normally (no abort is needed: no rank is left waiting).
public struct ClusterFailure: Error, Sendable {
    public let error: any Error
    /// The lowest rank that failed.
    public let failedRank: Int

    public init(error: any Error, failedRank: Int) { self.error = error; self.failedRank = failedRank }
}
