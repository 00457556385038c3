import Foundation

/// A fixed team of threads that run one job together, each with its own index: the calling
/// thread is member 0 and `count - 1` parked threads are the others. Unlike
/// `DispatchQueue.concurrentPerform`, every member is guaranteed its own running thread at the
/// same time, which members that wait for each other (`TeamBoard`) need: a dispatch pool may
/// run two iterations one after the other on one thread, and a barrier between them never opens.
///
/// The threads live until `shutDown()` (their owner's deinit); between jobs they sleep on a
/// condition, so a job costs a wake-up (microseconds), not a thread start.
final class TeamThreads: @unchecked Sendable {
    let count: Int
    private let state: State

    init(count: Int) {
        precondition(count >= 1, "a team needs a member, got \(count)")
        self.count = count
        state = State()
        for member in 1..<max(1, count) {
            let state = state
            let thread = Thread { state.serve(member) }
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    /// Runs `job(member)` for every member in `0..<count` at once, `job(0)` on the calling
    /// thread, and returns when every member has returned.
    func run(_ job: (Int) -> Void) {
        guard count > 1 else { return job(0) }
        withoutActuallyEscaping(job) { escapable in
            nonisolated(unsafe) let work = escapable
            state.start(members: count - 1) { work($0) }
            work(0)
            state.waitForMembers()
        }
    }

    /// Ends the parked threads (a team is not used after this).
    func shutDown() { state.stop() }

    private final class State: @unchecked Sendable {
        private let condition = NSCondition()
        private var job: ((Int) -> Void)?
        private var generation = 0
        private var running = 0
        private var stopping = false

        func start(members: Int, _ job: @escaping (Int) -> Void) {
            condition.lock()
            self.job = job
            running = members
            generation &+= 1
            condition.broadcast()
            condition.unlock()
        }

        func waitForMembers() {
            condition.lock()
            while running > 0 { condition.wait() }
            job = nil
            condition.unlock()
        }

        func stop() {
            condition.lock()
            stopping = true
            condition.broadcast()
            condition.unlock()
        }

        func serve(_ member: Int) {
            var seen = 0
            while true {
                condition.lock()
                while generation == seen && !stopping { condition.wait() }
                if stopping { condition.unlock(); return }
                seen = generation
                // Released before reporting back: the job must not outlive `run`'s call.
                do {
                    let job = job!
                    condition.unlock()
                    job(member)
                }
                condition.lock()
                running -= 1
                if running == 0 { condition.broadcast() }
                condition.unlock()
            }
        }
    }
}
