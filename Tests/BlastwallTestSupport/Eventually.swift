/// Polls `condition` every 100 ms until it holds, for what settles in moments rather than at once (traffic
/// after a reload, a takeover after a kill). A condition that throws has not held yet.
public func eventually(_ what: String, within limit: Duration = .seconds(10), _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + limit
    while ContinuousClock.now < deadline {
        if (try? await condition()) == true { return }
        try await Task.sleep(for: .milliseconds(100))
    }
    throw NotWithinLimit(description: "\(what): not within \(limit)")
}

public struct NotWithinLimit: Error, CustomStringConvertible {
    public let description: String
}
