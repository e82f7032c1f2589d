import BlastwallCore

/// Moves traffic between a service's stable and canary versions. One implementation per router, each in
/// its own file; the controller only knows this protocol.
public protocol TrafficRouter: Sendable {
    /// Makes the router send `canaryWeight` percent of traffic (0…100) to the canary and the rest to stable.
    /// Idempotent: setting the weight it already carries changes nothing.
    func setCanaryWeight(_ canaryWeight: Int) async throws(RouterError)
    /// The canary's weight as the router reports it now.
    func canaryWeight() async throws(RouterError) -> Int
}

/// A router could not be driven; says which router, what failed, and what to check.
public struct RouterError: Error, Sendable, Equatable, CustomStringConvertible {
    public var router: String
    public var message: String
    public var hint: String

    public init(router: String, message: String, hint: String) {
        self.router = router
        self.message = message
        self.hint = hint
    }

    public var description: String { "\(router) router: \(message); \(hint)" }
}

/// Where the `flags` router keeps a flag's percentage: the control plane's own storage.
public protocol FlagPercentages: Sendable {
    func setPercentage(_ percentage: Int, of flag: String) async throws
    func percentage(of flag: String) async throws -> Int?
}

/// Builds the router a rollout names.
public enum TrafficRouters {
    public static func make(_ settings: RouterSettings, service: String, flags: any FlagPercentages) -> any TrafficRouter {
        switch settings {
        case .haproxy(let address, let backend, let stableServer, let canaryServer):
            return HAProxyRouter(address: address, backend: backend, stableServer: stableServer, canaryServer: canaryServer)
        case .nginx(let nginx):
            return NginxRouter(settings: nginx)
        case .command(let arguments):
            return CommandRouter(arguments: arguments, service: service)
        case .flags(let flag):
            return FlagRouter(flag: flag, store: flags)
        }
    }
}
