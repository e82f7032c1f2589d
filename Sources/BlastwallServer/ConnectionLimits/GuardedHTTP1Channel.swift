import HummingbirdCore
import Logging
import NIOCore
import NIOHTTPTypesHTTP1

/// Hummingbird's HTTP/1 channel with `ConnectionLimits`: deadlines for headers, bodies and idle
/// keep-alive, and a cap on connections per client address.
struct GuardedHTTP1Channel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value
    let inner: HTTP1Channel
    let limits: ConnectionLimits
    let clients: ClientConnections

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let address = channel.remoteAddress?.ipAddress ?? "unknown"
        guard clients.admit(address) else {
            logger.warning(
                "connection refused: too many from one client", metadata: ["client": "\(address)", "limit": "\(clients.limit)"])
            return channel.close().flatMapThrowing { throw ChannelError.inputClosed }
        }
        let clients = clients
        channel.closeFuture.whenComplete { _ in clients.release(address) }
        let clock = RequestClock(limits: limits, channel: channel, logger: logger)
        do {
            try channel.pipeline.syncOperations.addHandler(RequestBytesWatcher(clock: clock))
        } catch {
            return channel.eventLoop.makeFailedFuture(error)
        }
        return inner.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let codec = try channel.pipeline.syncOperations.handler(type: HTTP1ToHTTPServerCodec.self)
            try channel.pipeline.syncOperations.addHandler(RequestPartsWatcher(clock: clock), position: .after(codec))
            clock.enter(.waiting(first: true))
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await inner.handle(value: value, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// HTTP/1 with Blastwall's connection limits.
    static func guardedHTTP1(limits: ConnectionLimits) -> HTTPServerBuilder {
        let clients = ClientConnections(limit: limits.connectionsPerClient)
        return HTTPServerBuilder { responder in
            GuardedHTTP1Channel(inner: HTTP1Channel(responder: responder), limits: limits, clients: clients)
        }
    }
}
