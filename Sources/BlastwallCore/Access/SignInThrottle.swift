/// Failed sign-ins by client address: after `limit` failures within `window` seconds, that address is
/// refused (429 with `Retry-After`) until the oldest of those failures leaves the window.
///
/// A fixed cost per guess makes guessing tokens hopeless anyway (they carry 256 bits); the throttle keeps
/// a guessing client from loading the server and makes it visible.
public struct SignInThrottle: Sendable {
    public let limit: Int
    public let window: Double
    private var failures: [String: [Double]] = [:]
    /// Failures since the last `drainReport`, for the aggregate audit event.
    private var unreported: [String: (count: Int, first: Double, last: Double)] = [:]

    public init(limit: Int = 20, window: Double = 60) {
        self.limit = limit
        self.window = window
    }

    /// Seconds until `client` may try again, or nil when it may now.
    public mutating func retryAfter(client: String, now: Double) -> Double? {
        guard var times = failures[client] else { return nil }
        times.removeAll { now - $0 >= window }
        failures[client] = times.isEmpty ? nil : times
        guard times.count >= limit, let oldest = times.first else { return nil }
        return max(1, (oldest + window - now).rounded(.up))
    }

    /// Records a failed sign-in from `client`.
    public mutating func recordFailure(client: String, now: Double) {
        var times = failures[client] ?? []
        times.removeAll { now - $0 >= window }
        times.append(now)
        // Only the newest `limit` matter for the decision; older ones would only grow memory.
        if times.count > limit { times.removeFirst(times.count - limit) }
        failures[client] = times
        let previous = unreported[client]
        unreported[client] = (count: (previous?.count ?? 0) + 1, first: previous?.first ?? now, last: now)
    }

    /// The failures per client since the last call, sorted by client; clears them, and forgets the
    /// addresses whose failures have all left the window, so that addresses that fail once and never come
    /// back do not accumulate.
    public mutating func drainReport(now: Double) -> [(client: String, count: Int, first: Double, last: Double)] {
        let window = window
        failures = failures.filter { _, times in times.contains { now - $0 < window } }
        defer { unreported.removeAll() }
        return unreported.sorted { $0.key < $1.key }.map { ($0.key, $0.value.count, $0.value.first, $0.value.last) }
    }

    /// How many addresses are tracked: bounded by the clients that failed within the window.
    public var trackedClients: Int { failures.count }
}
