import Hummingbird
import NIOCore

/// The request context of the API: Hummingbird's core storage plus the client's address, which the
/// sign-in throttle and the logs of failed sign-ins need.
public struct BlastwallRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// The client's IP address, or "unknown" (in-process tests have none).
    var clientAddress: String { remoteAddress?.ipAddress ?? "unknown" }
}
