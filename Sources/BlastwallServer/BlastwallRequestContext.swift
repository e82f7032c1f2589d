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

extension BlastwallRequestContext {
    /// The route's `:id`, a positive whole number, or a 400 that says so.
    func positiveID(of noun: String) throws -> Int64 {
        let text = try parameters.require("id")
        guard let id = Int64(text), id > 0 else {
            throw Problem(.badRequest, "\(noun) ids are positive whole numbers, not '\(text)'", field: "id")
        }
        return id
    }
}
