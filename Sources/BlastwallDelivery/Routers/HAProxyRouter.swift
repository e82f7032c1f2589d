import BlastwallCore
import Foundation
import NIOCore
import NIOPosix

/// HAProxy's runtime API (the `stats socket`): `set server BACKEND/SERVER weight N`, read back with
/// `get weight`. The canary server gets the canary's percent as its weight and stable the rest, canary first,
/// so both are never at zero together.
public struct HAProxyRouter: TrafficRouter {
    /// A Unix socket path (`/run/haproxy/admin.sock`, `unix:/…`) or `HOST:PORT`.
    public let address: String
    public let backend: String
    public let stableServer: String
    public let canaryServer: String

    public init(address: String, backend: String, stableServer: String, canaryServer: String) {
        self.address = address
        self.backend = backend
        self.stableServer = stableServer
        self.canaryServer = canaryServer
    }

    public func setCanaryWeight(_ canaryWeight: Int) async throws(RouterError) {
        for (server, weight) in [(canaryServer, canaryWeight), (stableServer, 100 - canaryWeight)] {
            let reply = try await command("set server \(backend)/\(server) weight \(weight)")
            // Success is an empty reply; anything else is HAProxy explaining what it refused.
            guard reply.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw failure("HAProxy refused 'set server \(backend)/\(server) weight \(weight)': \(reply.trimmed)")
            }
        }
        let applied = try await self.canaryWeight()
        guard applied == canaryWeight else {
            throw failure("HAProxy reports a canary weight of \(applied)% after setting \(canaryWeight)%")
        }
    }

    public func canaryWeight() async throws(RouterError) -> Int {
        let canary = try await weight(of: canaryServer)
        let stable = try await weight(of: stableServer)
        guard canary + stable > 0 else { return 0 }
        return Int((Double(canary) * 100 / Double(canary + stable)).rounded())
    }

    /// `get weight` answers "5 (initial 1)".
    private func weight(of server: String) async throws(RouterError) -> Int {
        let reply = try await command("get weight \(backend)/\(server)")
        guard let number = reply.split(separator: " ").first.flatMap({ Int($0) }) else {
            throw failure("HAProxy answered 'get weight \(backend)/\(server)' with '\(reply.trimmed)'")
        }
        return number
    }

    private func failure(_ message: String) -> RouterError {
        RouterError(
            router: "haproxy", message: message,
            hint:
                "check that backend '\(backend)' has servers '\(stableServer)' and '\(canaryServer)', and that the stats socket at \(address) is 'level admin'"
        )
    }

    /// One command per connection, as HAProxy's non-interactive mode expects: it answers and closes. A
    /// connection that fails is tried again twice (HAProxy reloading, a busy socket): the commands are idempotent.
    private func command(_ line: String) async throws(RouterError) -> String {
        var lastError: RouterError?
        for attempt in 0..<3 {
            if attempt > 0 { try? await Task.sleep(for: .milliseconds(100 * attempt)) }
            do {
                return try await exchange(line)
            } catch {
                lastError = error
            }
        }
        throw lastError!
    }

    private func exchange(_ line: String) async throws(RouterError) -> String {
        do {
            let bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connectTimeout(.seconds(2))
            let initializer: @Sendable (Channel) -> EventLoopFuture<NIOAsyncChannel<ByteBuffer, ByteBuffer>> = { channel in
                channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel(wrappingChannelSynchronously: channel) }
            }
            let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
            if let (host, port) = tcpAddress {
                channel = try await bootstrap.connect(host: host, port: port, channelInitializer: initializer)
            } else {
                channel = try await bootstrap.connect(unixDomainSocketPath: socketPath, channelInitializer: initializer)
            }
            return try await channel.executeThenClose { inbound, outbound in
                try await outbound.write(ByteBuffer(string: line + "\n"))
                var reply = ""
                for try await chunk in inbound { reply += String(buffer: chunk) }
                return reply
            }
        } catch {
            throw RouterError(
                router: "haproxy", message: "cannot reach the runtime API at \(address): \(error)",
                hint: "HAProxy needs 'stats socket \(address) level admin' in its global section")
        }
    }

    private var socketPath: String { address.hasPrefix("unix:") ? String(address.dropFirst(5)) : address }

    private var tcpAddress: (String, Int)? { RouterSettings.haproxyTCPAddress(address) }
}

extension String {
    var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}
