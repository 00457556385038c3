import Foundation
import Testing
@testable import Train

/// Threads taking whole blocks (`ReplicaTeam`) must give the bits of one thread: the same
/// weights (moving statistics included) and losses, alone or inside processes sharing a step.
@Suite struct ReplicaTeamTests {
    @Test(arguments: [2, 3, 5])
    func teamsEqualOneThread(threads: Int) throws {
        let alone = try BlockTrainingTests.run(BlockTrainingTests.trainer(threads: 1), steps: 6)
        let trainer = try BlockTrainingTests.trainer(threads: threads)
        let teamed = try BlockTrainingTests.run(trainer, steps: 6)
        #expect(trainer.replicaTeam?.members == threads, "the 20-sample steps (5 blocks of 4) must take the team path")
        #expect(teamed.weights == alone.weights)
        #expect(teamed.figures == alone.figures)
    }

    /// 2 processes × 2 threads: each process's team hands its blocks to the process exchange.
    @Test func teamsInsideProcessesEqualOneThread() throws {
        let alone = try BlockTrainingTests.run(BlockTrainingTests.trainer(threads: 1), steps: 6)
        let board = ThreadedExchange.Board(processes: 2)
        let results = try ThreadedExchange.runEach(processes: 2) { rank in
            let trainer = try BlockTrainingTests.trainer(exchange: ThreadedExchange(board: board, rank: rank), threads: 2)
            return (try BlockTrainingTests.run(trainer, steps: 6), trainer.replicaTeam != nil)
        }
        for (rank, (shared, teamed)) in results.enumerated() {
            #expect(teamed, "rank \(rank) must have taken the team path (3 and 2 blocks of the 20-sample steps)")
            #expect(shared.weights == alone.weights, "rank \(rank): weights differ from one thread of one process")
            #expect(shared.figures == alone.figures, "rank \(rank): losses differ from one thread of one process")
        }
    }

    /// A frozen layer in a replica stays frozen: fine-tuning with a team equals one thread.
    @Test func frozenLayersFollowTheOwner() throws {
        func run(threads: Int) throws -> [UInt32] {
            let trainer = try BlockTrainingTests.trainer(threads: threads)
            trainer.network.setTrainable(layer: 0, false)
            trainer.network.setTrainable(layer: 1, false)
            return try BlockTrainingTests.run(trainer, steps: 4).weights
        }
        #expect(try run(threads: 2) == run(threads: 1))
    }

    /// A failure inside one member (here the process exchange refusing the team's partials)
    /// ends the step with that error on the calling thread; no member is left waiting.
    @Test(.timeLimit(.minutes(1))) func aFailingExchangeEndsTheStep() throws {
        let trainer = try BlockTrainingTests.trainer(exchange: RefusingExchange(), threads: 2)
        #expect(throws: RefusingExchange.Refused.self) {
            _ = try trainer.trainStep(BlockTrainingTests.batches()[0], learningRate: 0.01)
        }
        #expect(trainer.replicaTeam != nil)
        // The team is whole again for the next step (which fails the same way, without hanging).
        #expect(throws: RefusingExchange.Refused.self) {
            _ = try trainer.trainStep(BlockTrainingTests.batches()[1], learningRate: 0.01)
        }
    }
}

/// A process that holds every block but whose peers never answer: every exchange throws.
private final class RefusingExchange: BlockExchange, @unchecked Sendable {
    struct Refused: Error {}
    var processes: Int { 2 }
    func localBlocks(count: Int) -> Range<Int> { 0..<count }
    func allBlocks(_ local: [Float], width: Int, count: Int) throws -> [Float] { throw Refused() }
    func allBlocks(_ local: [Double], width: Int, count: Int) throws -> [Double] { throw Refused() }
    func any(_ flag: Bool) throws -> Bool { throw Refused() }
}
