import Foundation

extension Cluster {
    /// Runs one phase of local work on every rank, then makes every rank learn whether any
    /// rank failed: each sends a status byte and its error's text. No rank can be left waiting in
    /// a collective for one that threw, because the exchange happens whether `body` threw or not.
    ///
    /// - Returns: `body`'s value when every rank succeeded.
    /// - Throws: `ClusterFailure` on every rank when any failed: the lowest failing rank gets its
    ///   own error back (so its exit status is the one a single process would have), the others
    ///   `ClusterError.rankFailed` with that rank's message.
    public func agree<T>(_ body: () throws -> T) throws -> T {
        let outcome: Result<T, any Error>
        do { outcome = .success(try body()) } catch { outcome = .failure(error) }
        var status: [UInt8] = [0]
        if case .failure(let error) = outcome { status = [1] + Array("\(error)".utf8) }
        let statuses = try allGather(status)
        guard let failed = statuses.firstIndex(where: { $0.first != 0 }) else { return try outcome.get() }
        if failed == rank, case .failure(let error) = outcome { throw ClusterFailure(error: error, failedRank: failed) }
        let message = String(decoding: statuses[failed].dropFirst(), as: UTF8.self)
        throw ClusterFailure(error: ClusterError.rankFailed(rank: failed, message: message), failedRank: failed)
    }

    /// The test hook `DATAPREP_TEST_FAULT=RANK:fail|kill[@N]`: on rank RANK, at its N-th fault
    /// point (default the first), `fail` throws `ClusterError.injectedFault` and `kill` sends
    /// the process SIGKILL, so tests can prove a failed or killed rank leaves no committed
    /// output and no rank hangs (training passes a fault point every step). A no-op elsewhere.
    public func faultPoint() throws {
        guard let fault, fault.rank == rank, faultPoints.next() == fault.at else { return }
        switch fault.action {
        case .fail: throw ClusterError.injectedFault(rank: rank)
        case .kill: kill(getpid(), SIGKILL)
        }
    }
}

/// A parsed `DATAPREP_TEST_FAULT` value.
struct Fault: Sendable, Equatable {
    enum Action: String, Sendable { case fail, kill }
    let rank: Int
    let action: Action
    /// Which fault point of the rank fires (1-based).
    let at: Int

    init?(_ text: String?) {
        guard let parts = text?.split(separator: ":"), parts.count == 2, let rank = Int(parts[0]) else { return nil }
        let actionAt = parts[1].split(separator: "@")
        guard let action = Action(rawValue: String(actionAt[0])), actionAt.count <= 2 else { return nil }
        let at = actionAt.count == 2 ? Int(actionAt[1]) : 1
        guard let at, at >= 1 else { return nil }
        self.rank = rank; self.action = action; self.at = at
    }
}

/// Counts a rank's fault points (shared by the copies of its `Cluster` value).
final class FaultPoints: @unchecked Sendable {
    private let lock = NSLock()
    private var passed = 0

    /// The number of this fault point, 1 for the first.
    func next() -> Int {
        lock.lock()
        defer { lock.unlock() }
        passed += 1
        return passed
    }
}
