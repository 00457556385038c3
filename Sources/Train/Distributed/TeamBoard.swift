import Foundation

/// Where the members of a `TeamThreads` job meet: a reusable barrier with a slot per member and
/// one published result, that breaks instead of hanging when a member fails.
///
/// A collective is two barriers: every member deposits, the first barrier opens, the leader
/// (member 0) computes the result from every slot, the second opens and every member reads it.
/// A member reaches the next deposit only after every member passed the second barrier, so
/// slots and the result are never overwritten while read.
final class TeamBoard: @unchecked Sendable {
    let members: Int
    private let condition = NSCondition()
    private var arrived = 0
    private var round = 0
    private var broken = false
    private var slots: [Any?]
    private var published: Any?
    /// The first error a member of the current job threw (not counting `Broken`).
    private(set) var failure: (any Error)?

    /// What a member throws when another member failed (the job reports the first real error).
    struct Broken: Error {}

    init(members: Int) {
        self.members = members
        slots = Array(repeating: nil, count: members)
    }

    /// Makes the board whole again before a job (after a failed one).
    func reset() {
        condition.lock()
        arrived = 0; broken = false; failure = nil
        for i in slots.indices { slots[i] = nil }
        published = nil
        condition.unlock()
    }

    /// Records a member's failure (the first real one is the job's) and breaks the barrier.
    func fail(_ error: any Error) {
        condition.lock()
        if failure == nil && !(error is Broken) { failure = error }
        broken = true
        condition.broadcast()
        condition.unlock()
    }

    /// Waits until every member has arrived (throws `Broken` if one failed).
    func wait() throws {
        condition.lock()
        defer { condition.unlock() }
        guard !broken else { throw Broken() }
        let mine = round
        arrived += 1
        if arrived == members {
            arrived = 0; round &+= 1
            condition.broadcast()
        } else {
            while round == mine && !broken { condition.wait() }
        }
        if broken { throw Broken() }
    }

    /// Every member passes `value`; the leader computes `combine(all values in member order)`;
    /// every member gets the leader's result.
    func collective<Value, Result>(member: Int, _ value: Value, combine: ([Value]) throws -> Result) throws -> Result {
        deposit(value, member: member)
        try wait()
        if member == 0 {
            do {
                let result = try combine((0..<members).map { slot($0, as: Value.self) })
                locked { published = result }
            } catch {
                fail(error)
                throw error
            }
        }
        try wait()
        return locked { published as! Result }
    }

    /// Member `member`'s deposit, read after the first barrier of a collective whose members
    /// also work between the two barriers (`TeamExchange.foldBlocks`).
    func slot<Value>(_ member: Int, as: Value.Type) -> Value { locked { slots[member] as! Value } }

    /// A member's value for this collective (under the lock: members write their slots at once).
    func deposit<Value>(_ value: Value, member: Int) { locked { slots[member] = value } }

    private func locked<T>(_ body: () -> T) -> T {
        condition.lock()
        defer { condition.unlock() }
        return body()
    }
}
