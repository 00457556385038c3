/// Threads that take whole blocks of a step, as MPI ranks do, instead of cutting every layer's
/// work between them.
///
/// Why: with the step cut into blocks (`SampleBlocks`), a layer's call covers one block, and
/// cutting a 64-sample block's kernels between two threads costs more in dispatch and in
/// shared data than it wins: on the 2-core Zen 4 of the README, 2 ranks × 1 thread trained an
/// MNIST epoch faster than 1 process × 2 threads. A team instead gives each of its T threads a
/// network of its own (member 0 the owner, the others `Network(replicaOf:)`: same weights in
/// place, own activations, workspaces and gradients), each computing its contiguous share of
/// the process's blocks on one thread. Their partials meet through `TeamExchange` in block
/// order, so the result is the bits one thread gives, and the bits of any rank count.
final class ReplicaTeam {
    let members: Int
    private let owner: Network
    private let threads: TeamThreads
    private let board: TeamBoard
    private let networks: [Network]
    private let exchanges: [TeamExchange]
    private let gradients: [BlockGradients]

    /// - Parameter outer: the process's own exchange (a single process, or the MPI ranks).
    init(owner: Network, members: Int, outer: any BlockExchange) throws {
        precondition(members >= 2, "a team needs two members, got \(members)")
        self.owner = owner; self.members = members
        var networks = [owner]
        for _ in 1..<members { networks.append(try Network(replicaOf: owner)) }
        self.networks = networks
        let board = TeamBoard(members: members)
        self.board = board
        exchanges = (0..<members).map { TeamExchange(member: $0, board: board, outer: outer) }
        gradients = networks.map { BlockGradients(store: $0.parameters, layers: $0.layers.count, publishes: $0 === owner) }
        threads = TeamThreads(count: members)
    }

    deinit { threads.shutDown() }

    /// Whether a team of `members` is worth more than threads inside each layer: every member
    /// needs a block of its own.
    static func shares(localBlocks: Int, members: Int) -> Bool { members > 1 && localBlocks >= members }

    /// Runs `body(network, pass, gradients)` on every member at once, each with its own network,
    /// its share of the step's blocks and its gradients. The step's summed gradients end in
    /// the owner's store (every member folds them; the owner's optimizer uses them).
    ///
    /// - Throws: the first error a member threw (the others stop at their next meeting).
    func run(blocks: SampleBlocks, _ body: (Network, BlockPass, BlockGradients) throws -> Void) throws {
        board.reset()
        for replica in networks.dropFirst() { replica.parameters.adoptTrainable(from: owner.parameters) }
        threads.run { m in
            do {
                try body(networks[m], BlockPass(blocks: blocks, exchange: exchanges[m]), gradients[m])
            } catch {
                board.fail(error)
            }
        }
        if let failure = board.failure { throw failure }
    }
}
