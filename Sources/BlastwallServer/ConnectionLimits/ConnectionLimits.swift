/// How long a client may take over each part of a request, and how many connections one address may hold.
///
/// Without these, twenty connections that send their headers a byte at a time (slowloris) or declare a
/// body they never send hold the server's resources for as long as the client likes.
public struct ConnectionLimits: Sendable, Equatable {
    /// From connecting (or from the first byte of a request after a keep-alive pause) to the end of its headers.
    public var headerTimeout: Duration
    /// From the end of the headers to the end of the body.
    public var bodyTimeout: Duration
    /// How long a kept-alive connection may wait, idle, for its next request.
    public var idleTimeout: Duration
    /// Open connections per client address; the next one is closed at once.
    public var connectionsPerClient: Int

    public init(
        headerTimeout: Duration = .seconds(10), bodyTimeout: Duration = .seconds(30), idleTimeout: Duration = .seconds(60),
        connectionsPerClient: Int = 256
    ) {
        self.headerTimeout = headerTimeout
        self.bodyTimeout = bodyTimeout
        self.idleTimeout = idleTimeout
        self.connectionsPerClient = connectionsPerClient
    }
}
