import BlastwallCore
import Testing

@Suite struct SignInThrottleTests {
    @Test func anAddressIsRefusedAfterTheLimitUntilItsOldestFailureLeavesTheWindow() {
        var throttle = SignInThrottle(limit: 3, window: 60)
        for second in 0..<3 {
            #expect(throttle.retryAfter(client: "10.0.0.1", now: Double(second)) == nil)
            throttle.recordFailure(client: "10.0.0.1", now: Double(second))
        }
        #expect(throttle.retryAfter(client: "10.0.0.1", now: 3) == 57, "the first failure (t=0) leaves at t=60")
        #expect(throttle.retryAfter(client: "10.0.0.2", now: 3) == nil, "other addresses are not affected")
        #expect(throttle.retryAfter(client: "10.0.0.1", now: 59.5) == 1)
        #expect(throttle.retryAfter(client: "10.0.0.1", now: 60) == nil)
    }

    @Test func theReportAggregatesPerClientAndClears() {
        var throttle = SignInThrottle(limit: 5, window: 60)
        for second in [1.0, 2, 3] { throttle.recordFailure(client: "b", now: second) }
        throttle.recordFailure(client: "a", now: 4)
        let report = throttle.drainReport(now: 5)
        #expect(report.map(\.client) == ["a", "b"])
        #expect(report.map(\.count) == [1, 3])
        #expect(report[1].first == 1 && report[1].last == 3)
        #expect(throttle.drainReport(now: 5).isEmpty)
    }

    @Test func memoryIsBoundedByTheLimitAndTheWindow() {
        var throttle = SignInThrottle(limit: 3, window: 10)
        for second in 0..<10_000 { throttle.recordFailure(client: "x", now: Double(second) / 100) }
        #expect(throttle.retryAfter(client: "x", now: 100) != nil)
        #expect(throttle.retryAfter(client: "x", now: 200) == nil)
        #expect(throttle.trackedClients == 0, "an address whose failures all left the window is forgotten")
    }

    /// Addresses that fail once and never come back are forgotten at the next report.
    @Test func addressesThatNeverReturnAreForgotten() {
        var throttle = SignInThrottle(limit: 20, window: 60)
        for client in 0..<10_000 { throttle.recordFailure(client: "10.0.\(client / 256).\(client % 256)", now: 0) }
        #expect(throttle.trackedClients == 10_000)
        _ = throttle.drainReport(now: 30)
        #expect(throttle.trackedClients == 10_000, "still within the window")
        _ = throttle.drainReport(now: 61)
        #expect(throttle.trackedClients == 0)
    }
}
