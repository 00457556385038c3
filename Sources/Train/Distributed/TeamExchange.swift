/// One thread's share of a process's blocks when a team of threads (`ReplicaTeam`) shares them
/// as ranks share a step's blocks: member `m` computes its contiguous part of the process's
/// run of blocks (`SampleBlocks.share`), so member order is block order. The members' partials
/// meet on a `TeamBoard` and go to the process's own exchange (`outer`) once, through member 0,
/// so a team of T threads on each of N ranks folds exactly what N×T ranks or one process fold.
final class TeamExchange: BlockExchange, @unchecked Sendable {
    let member: Int
    let board: TeamBoard
    let outer: any BlockExchange

    init(member: Int, board: TeamBoard, outer: any BlockExchange) {
        self.member = member; self.board = board; self.outer = outer
    }

    var processes: Int { outer.processes * board.members }

    func localBlocks(count: Int) -> Range<Int> {
        let run = outer.localBlocks(count: count)
        let mine = SampleBlocks.share(count: run.count, process: member, of: board.members)
        return run.lowerBound + mine.lowerBound..<run.lowerBound + mine.upperBound
    }

    func allBlocks(_ local: [Float], width: Int, count: Int) throws -> [Float] {
        try board.collective(member: member, local) { try outer.allBlocks(Array($0.joined()), width: width, count: count) }
    }

    func allBlocks(_ local: [Double], width: Int, count: Int) throws -> [Double] {
        try board.collective(member: member, local) { try outer.allBlocks(Array($0.joined()), width: width, count: count) }
    }

    func any(_ flag: Bool) throws -> Bool {
        try board.collective(member: member, flag) { try outer.any($0.contains(true)) }
    }

    /// Alone in the job, the members fold side by side: member `m` sums its slice of the
    /// `width` values over every block, in block order, and writes it into every member's
    /// `out` (each member needs the whole sum: batch-norm statistics). With other processes,
    /// member 0 hands the team's partials, in block order, to the outer exchange's fold.
    func foldBlocks(_ local: [Float], width: Int, count: Int, into out: UnsafeMutablePointer<Float>) throws {
        guard outer.isAlone else {
            let sum: [Float] = try board.collective(member: member, local) { parts in
                var sum = [Float](repeating: 0, count: width)
                try sum.withUnsafeMutableBufferPointer {
                    try outer.foldBlocks(Array(parts.joined()), width: width, count: count, into: $0.baseAddress!)
                }
                return sum
            }
            sum.withUnsafeBufferPointer { out.update(from: $0.baseAddress!, count: width) }
            return
        }
        board.deposit(Deposit(partials: local, out: out), member: member)
        try board.wait()
        let members = (0..<board.members).map { board.slot($0, as: Deposit.self) }
        let slice = SampleBlocks.share(count: width, process: member, of: board.members)
        if !slice.isEmpty {
            let target = members[member].out + slice.lowerBound
            var first = true
            for deposit in members {
                deposit.partials.withUnsafeBufferPointer { p in
                    for block in 0..<p.count / max(1, width) {
                        let values = p.baseAddress! + (block &* width &+ slice.lowerBound)
                        if first { target.update(from: values, count: slice.count) } else { BlockFold.add(values, into: target, count: slice.count) }
                        first = false
                    }
                }
            }
            for other in members.indices where other != member {
                (members[other].out + slice.lowerBound).update(from: target, count: slice.count)
            }
        }
        try board.wait()
    }

    /// A member's partials and where its sum goes.
    private struct Deposit {
        let partials: [Float]
        let out: UnsafeMutablePointer<Float>
    }
}
