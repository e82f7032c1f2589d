import Synchronization

/// Group commit for SQLite: transactions that arrive while one is committing wait and then share a single
/// `BEGIN … COMMIT`, each inside its own savepoint. One fsync makes a whole batch durable, so throughput
/// grows with concurrency instead of stopping at the disk's fsync rate. No caller resumes before the
/// commit that holds its work has returned, and a failing body rolls back only its own savepoint.
final class GroupCommit: Sendable {
    /// One caller's transaction: runs its body, then learns whether the batch committed; or fails unrun
    /// when the batch could not begin.
    struct Job: Sendable {
        /// Runs the caller's body in its savepoint; whether it failed, and how to tell the caller once the
        /// batch has committed or not.
        let execute: @Sendable (any SQLExecutor) async -> (failed: Bool, finish: @Sendable (_ commitError: (any Error)?) -> Void)
        let fail: @Sendable (any Error) -> Void
    }

    private struct State {
        var pending: [Job] = []
        var leading = false
    }

    /// The most transactions one commit holds, so a long queue still commits regularly.
    private let batchLimit: Int
    private let state = Mutex(State())

    init(batchLimit: Int = 256) {
        self.batchLimit = batchLimit
    }

    /// Queues `job`; returns true when the caller must start draining the queue.
    func enqueue(_ job: Job) -> Bool {
        state.withLock { state in
            state.pending.append(job)
            if state.leading { return false }
            state.leading = true
            return true
        }
    }

    /// Transactions waiting for the next batch.
    var queued: Int { state.withLock { $0.pending.count } }

    /// The next batch, or nil (and no leader) when the queue is empty.
    func nextBatch() -> [Job]? {
        state.withLock { state in
            guard !state.pending.isEmpty else {
                state.leading = false
                return nil
            }
            let batch = Array(state.pending.prefix(batchLimit))
            state.pending.removeFirst(batch.count)
            return batch
        }
    }
}
