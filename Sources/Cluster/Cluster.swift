internal import CMPI
import Foundation

/// This process as one rank of an MPI job: its rank, the world size, and the few collectives
/// dataprep needs, all over bytes on `MPI_COMM_WORLD`. The work is divided so that no result
/// depends on the number of ranks; these calls only move finished results.
///
/// MPI is loaded at run time (`CMPI`), so a process not started by mpirun/srun never touches
/// it and behaves exactly as without MPI. Every collective must be called by every rank in the
/// same order; a rank that fails mid-phase reports it through `agree(_:)` instead of leaving the
/// others waiting.
public struct Cluster: Sendable {
    public let rank: Int
    public let size: Int
    /// From `DATAPREP_TEST_FAULT=RANK:fail|kill[@N]`, for tests of the failure path.
    let fault: Fault?
    let faultPoints = FaultPoints()

    /// Rank 0 alone prints progress and results and writes shared files.
    public var isRoot: Bool { rank == 0 }

    /// Joins the MPI job when `environment` says the process was started by a launcher;
    /// nil for a plain process.
    ///
    /// - Throws: `ClusterError.libraryUnavailable` when launched but libmpi cannot be loaded,
    ///   `.mpi` when MPI_Init fails.
    public static func joinIfLaunched(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Cluster? {
        guard let launch = Launch.detect(environment) else { return nil }
        return try join(launch, fault: Fault(environment["DATAPREP_TEST_FAULT"]))
    }

    static func join(_ launch: Launch, fault: Fault?) throws -> Cluster {
        var message = [CChar](repeating: 0, count: 1024)
        guard cmpi_load(launch.library, &message, message.count) == 0 else {
            throw ClusterError.libraryUnavailable(path: launch.library, reason: String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        var initialized: Int32 = 0
        try check(cmpi_initialized(&initialized), "MPI_Initialized")
        if initialized == 0 {
            var provided: Int32 = 0
            try check(cmpi_init(&provided), "MPI_Init_thread")
        }
        var rank: Int32 = 0, size: Int32 = 0
        try check(cmpi_rank(&rank), "MPI_Comm_rank")
        try check(cmpi_size(&size), "MPI_Comm_size")
        return Cluster(rank: Int(rank), size: Int(size), fault: fault)
    }

    /// Waits until every rank got here.
    public func barrier() throws { try Self.check(cmpi_barrier(), "MPI_Barrier") }

    /// `bytes` of rank `root` on every rank (`bytes` is ignored elsewhere).
    public func broadcast(_ bytes: [UInt8], root: Int = 0) throws -> [UInt8] {
        var count = Int64(bytes.count)
        try Self.check(withUnsafeMutableBytes(of: &count) { cmpi_bcast($0.baseAddress, 8, Int32(root)) }, "MPI_Bcast")
        var buffer = rank == root ? bytes : [UInt8](repeating: 0, count: try Self.messageLength(Int(count)))
        let length = Int32(buffer.count)
        try Self.check(buffer.withUnsafeMutableBytes { cmpi_bcast($0.baseAddress, length, Int32(root)) }, "MPI_Bcast")
        return buffer
    }

    /// Every rank's `bytes` (any length), in rank order, at `root`; nil on the other ranks.
    public func gather(_ bytes: [UInt8], root: Int = 0) throws -> [[UInt8]]? {
        let counts = try lengths(of: bytes)
        guard rank == root else {
            try Self.check(bytes.withUnsafeBytes { cmpi_gatherv($0.baseAddress, Int32(bytes.count), nil, nil, nil, Int32(root)) }, "MPI_Gatherv")
            return nil
        }
        return try collect(bytes, counts: counts) { send, receive, counts, displacements in
            cmpi_gatherv(send, Int32(bytes.count), receive, counts, displacements, Int32(root))
        }
    }

    /// Every rank's `bytes` (any length), in rank order, on every rank.
    public func allGather(_ bytes: [UInt8]) throws -> [[UInt8]] {
        try collect(bytes, counts: try lengths(of: bytes)) { send, receive, counts, displacements in
            cmpi_allgatherv(send, Int32(bytes.count), receive, counts, displacements)
        }
    }

    /// Each rank sends `parts[r]` to rank r and receives every rank's part for it, in rank
    /// order. `receiveCounts[r]`: the bytes rank r sends to this rank (the callers know them
    /// from the shape of the work, so no length exchange precedes the data).
    public func allToAll(_ parts: [[UInt8]], receiveCounts: [Int]) throws -> [[UInt8]] {
        precondition(parts.count == size && receiveCounts.count == size, "one part and one count per rank")
        let send = parts.flatMap { $0 }
        _ = try Self.messageLength(send.count)
        let sendCounts = parts.map { Int32($0.count) }, sendDisplacements = Self.displacements(parts.map(\.count))
        let total = try Self.messageLength(receiveCounts.reduce(0, +))
        let counts = receiveCounts.map { Int32($0) }, displacements = Self.displacements(receiveCounts)
        var receive = [UInt8](repeating: 0, count: total)
        try Self.check(send.withUnsafeBytes { s in
            receive.withUnsafeMutableBytes { r in
                cmpi_alltoallv(s.baseAddress, sendCounts, sendDisplacements, r.baseAddress, counts, displacements)
            }
        }, "MPI_Alltoallv")
        return receiveCounts.indices.map { Array(receive[Int(displacements[$0])..<(Int(displacements[$0]) + receiveCounts[$0])]) }
    }

    /// `allGather` when every rank already knows every rank's length (`counts`, in rank order).
    public func allGather(_ bytes: [UInt8], counts: [Int]) throws -> [[UInt8]] {
        precondition(counts.count == size && counts[rank] == bytes.count, "counts must list every rank's length, this rank's included")
        return try collect(bytes, counts: counts) { send, receive, counts, displacements in
            cmpi_allgatherv(send, Int32(bytes.count), receive, counts, displacements)
        }
    }

    private static func displacements(_ counts: [Int]) -> [Int32] {
        var offsets: [Int32] = [], offset = 0
        for count in counts { offsets.append(Int32(offset)); offset += count }
        return offsets
    }

    /// Ends MPI cleanly; every rank calls it once, after its last collective.
    public func finalize() { _ = cmpi_finalize() }

    /// Asks the launcher to end the whole job now (it kills every rank): for an error that
    /// escaped outside `agree`, where the other ranks may be waiting in a collective. Normally
    /// does not return; the caller exits if it does (the library never ends the process).
    public func abort(code: Int32 = 1) {
        _ = cmpi_abort(code)
    }

    /// Every rank's message length, exchanged first so receivers can size their buffers.
    private func lengths(of bytes: [UInt8]) throws -> [Int] {
        var mine = Int64(try Self.messageLength(bytes.count))
        var all = [Int64](repeating: 0, count: size)
        try Self.check(withUnsafeBytes(of: &mine) { send in
            all.withUnsafeMutableBytes { cmpi_allgather(send.baseAddress, 8, $0.baseAddress) }
        }, "MPI_Allgather")
        return all.map { Int($0) }
    }

    private func collect(_ bytes: [UInt8], counts: [Int],
                         _ call: (UnsafeRawPointer?, UnsafeMutableRawPointer?, UnsafePointer<Int32>, UnsafePointer<Int32>) -> Int32) throws -> [[UInt8]] {
        let total = try Self.messageLength(counts.reduce(0, +))
        var displacements = [Int32](), offset = 0
        for count in counts { displacements.append(Int32(offset)); offset += count }
        let counts32 = counts.map { Int32($0) }
        var receive = [UInt8](repeating: 0, count: total)
        try Self.check(bytes.withUnsafeBytes { send in
            receive.withUnsafeMutableBytes { receive in
                counts32.withUnsafeBufferPointer { c in
                    displacements.withUnsafeBufferPointer { d in call(send.baseAddress, receive.baseAddress, c.baseAddress!, d.baseAddress!) }
                }
            }
        }, "MPI_Gatherv")
        return counts.indices.map { Array(receive[Int(displacements[$0])..<(Int(displacements[$0]) + counts[$0])]) }
    }

    private static func messageLength(_ bytes: Int) throws -> Int {
        guard bytes >= 0, bytes <= Int(Int32.max) else { throw ClusterError.messageTooLarge(bytes: bytes) }
        return bytes
    }

    private static func check(_ code: Int32, _ call: String) throws {
        guard code != 0 else { return }
        var text = [CChar](repeating: 0, count: 512)
        let length = Int(cmpi_error_string(code, &text, text.count))
        let message = String(decoding: text.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        throw ClusterError.mpi(call: call, code: code, message: code == -1 ? "the MPI library is not loaded" : message)
    }
}
