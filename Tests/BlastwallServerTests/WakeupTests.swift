import Synchronization
import Testing

@testable import BlastwallControlPlane

/// The leader's loop sleeps for its poll interval unless woken; these waits are ten minutes long, so a wait
/// that is not woken fails the time limit.
@Suite(.timeLimit(.minutes(1))) struct WakeupTests {
    @Test func aSignalBeforeTheWaitIsKept() async {
        let wakeup = Wakeup()
        wakeup.signal()
        await wakeup.wait(upTo: .seconds(600))
    }

    @Test func aSignalWakesAWaiter() async throws {
        let wakeup = Wakeup()
        let woken = Atomic(false)
        let waiter = Task {
            await wakeup.wait(upTo: .seconds(600))
            woken.store(true, ordering: .sequentiallyConsistent)
        }
        // Signals until the waiter is woken: the first ones may come before it waits, and are kept.
        while !woken.load(ordering: .sequentiallyConsistent) {
            wakeup.signal()
            try await Task.sleep(for: .milliseconds(20))
        }
        await waiter.value
    }

    @Test func oneSignalWakesOneWaitOnly() async {
        let wakeup = Wakeup()
        wakeup.signal()
        wakeup.signal()
        await wakeup.wait(upTo: .seconds(600))
        let started = ContinuousClock.now
        await wakeup.wait(upTo: .milliseconds(200))
        #expect(ContinuousClock.now - started >= .milliseconds(200), "the second wait ran its full length")
    }

    @Test func cancellingEndsTheWait() async {
        let wakeup = Wakeup()
        let waiter = Task { await wakeup.wait(upTo: .seconds(600)) }
        try? await Task.sleep(for: .milliseconds(50))
        waiter.cancel()
        await waiter.value
    }
}
