import Logging
import NIOCore
import NIOHTTPTypes

/// Where one connection is in its request cycle, and the deadline of that phase. Confined to the
/// connection's event loop: both watchers below run there.
final class RequestClock: @unchecked Sendable {
    enum Phase {
        /// Waiting for a request; `first` until the connection has served one.
        case waiting(first: Bool)
        case headers
        case body
        /// The request is read; the server is answering it. No deadline: the server's own work.
        case responding
    }

    private let limits: ConnectionLimits
    private let channel: any Channel
    private let logger: Logger
    private let client: String
    private(set) var phase = Phase.waiting(first: true)
    private var deadline: Scheduled<Void>?

    init(limits: ConnectionLimits, channel: any Channel, logger: Logger) {
        self.limits = limits
        self.channel = channel
        self.logger = logger
        client = channel.remoteAddress?.ipAddress ?? "unknown"
    }

    func enter(_ next: Phase) {
        phase = next
        deadline?.cancel()
        deadline = nil
        let (limit, what): (Duration, String)
        switch next {
        case .waiting(let first):
            (limit, what) = first ? (limits.headerTimeout, "headers") : (limits.idleTimeout, "the next request")
        case .headers: (limit, what) = (limits.headerTimeout, "headers")
        case .body: (limit, what) = (limits.bodyTimeout, "the body")
        case .responding: return
        }
        let channel = channel
        let logger = logger
        let client = client
        deadline = channel.eventLoop.scheduleTask(in: TimeAmount(limit)) {
            logger.info(
                "connection closed: the client was too slow",
                metadata: ["waiting_for": "\(what)", "limit": "\(limit)", "client": "\(client)"])
            channel.close(promise: nil)
        }
    }

    func stop() {
        deadline?.cancel()
        deadline = nil
    }
}

/// First in the pipeline, on raw bytes: the first byte of a request after a keep-alive pause starts the
/// shorter header deadline.
final class RequestBytesWatcher: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    private let clock: RequestClock

    init(clock: RequestClock) {
        self.clock = clock
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .waiting(first: false) = clock.phase { clock.enter(.headers) }
        context.fireChannelRead(data)
    }

    func channelInactive(context: ChannelHandlerContext) {
        clock.stop()
        context.fireChannelInactive()
    }
}

/// After the HTTP codec: a request's head starts the body deadline, its end stops the clock while the
/// server answers, and the end of the response starts the idle deadline.
final class RequestPartsWatcher: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart
    private let clock: RequestClock

    init(clock: RequestClock) {
        self.clock = clock
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: clock.enter(.body)
        case .end: clock.enter(.responding)
        case .body: break
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { clock.enter(.waiting(first: false)) }
        context.write(data, promise: promise)
    }
}
