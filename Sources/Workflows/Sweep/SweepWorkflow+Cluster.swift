import Cluster
import DataPrep
import Foundation

extension SweepWorkflow {
    /// `run` as one rank of an MPI job: the variants still to train are dealt to the ranks in
    /// turn (variant k of the pending list to rank k mod N, so every rank gets early and late
    /// grid entries alike), each rank trains its own into `DIR/runs/NAME` with its own
    /// `--threads` and `--concurrent`, and rank 0 writes the summary once every rank is done.
    /// A variant's weights do not depend on where or beside what it trained, so the runs and
    /// the summary (but for wall times) are the single process's.
    ///
    /// DIR must be on a filesystem every rank sees at the same path. Rank 0 makes or checks
    /// it before any rank trains; each rank's progress lines go to `DIR/sweep.log` prefixed
    /// `rank R:`, and only rank 0's are printed. Every phase ends in `Cluster.agree`: a rank
    /// whose variant fails makes every rank report the error once its own variants are done
    /// (finished variants are kept, as in one process, for `--resume`); Ctrl-C (which mpirun
    /// passes to every rank) checkpoints every running variant, and the job exits 130.
    ///
    /// - Returns: the outcome at rank 0; nil on the other ranks.
    public func run(across cluster: Cluster, events: WorkflowEvents = .silent) throws -> Outcome? {
        var rankEvents = events
        if !cluster.isRoot { rankEvents.note = { _ in } }
        // Rank 0 makes or checks DIR (a refused one stops every rank); then every rank reads it.
        try cluster.agree { if cluster.isRoot { _ = try prepareFolder(events: rankEvents) } }
        let rank = cluster.size > 1 ? cluster.rank : nil
        let setup = try cluster.agree { try prepareFolder(events: rankEvents, creating: false, rank: rank) }
        let mine = setup.pending.enumerated().filter { $0.offset % cluster.size == cluster.rank }.map(\.element)
        setup.progress.countShare(mine.count)
        let share = try cluster.agree {
            try trainShare(mine, of: setup, events: rankEvents,
                           announce: cluster.size > 1 ? "\(cluster.size) ranks; " : "", beforeEach: { try cluster.faultPoint() })
        }
        // Every rank learns every diverged variant and whether any rank was interrupted.
        let reports = try cluster.allGather(Array(try JSONEncoder().encode(RankReport(failed: share.failed, interrupted: share.interrupted))))
        var failed: [String: String] = [:], interrupted = false
        for (from, bytes) in reports.enumerated() {
            guard let report = try? JSONDecoder().decode(RankReport.self, from: Data(bytes)) else {
                throw ClusterFailure(error: ClusterError.malformedMessage(rank: from, reason: "an unreadable sweep report"), failedRank: from)
            }
            failed.merge(report.failed) { first, _ in first }
            interrupted = interrupted || report.interrupted
        }
        if interrupted {
            setup.progress.say("interrupted: continue with --resume (finished variants are kept)")
            return cluster.isRoot ? Outcome(table: nil, failed: failed, interrupted: true) : nil
        }
        return try cluster.agree { cluster.isRoot ? try summarize(setup, failed: failed) : nil }
    }

    /// What a rank tells the others when its variants are done.
    private struct RankReport: Codable {
        let failed: [String: String]
        let interrupted: Bool
    }
}
