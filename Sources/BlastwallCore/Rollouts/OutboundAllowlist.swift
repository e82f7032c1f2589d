import Foundation

/// The network destinations a server lets rollouts reach (`serve --allow-outbound`): a rollout names its
/// Prometheus, its webhook and its HAProxy address, and the server connects to them on the caller's behalf.
/// Entries are `HOST` (any port) or `HOST:PORT`; hosts compare without regard to case. Unix sockets are local
/// and always allowed.
public struct OutboundAllowlist: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var host: String
        public var port: Int?
    }

    /// A place a rollout makes the server connect to, and the field of the rollout that names it.
    public struct Destination: Sendable, Equatable {
        public var field: String
        public var host: String
        public var port: Int

        public init(field: String, host: String, port: Int) {
            self.field = field
            self.host = host
            self.port = port
        }

        public var description: String { "\(host):\(port)" }
    }

    public let entries: [Entry]

    public init(parsing texts: [String]) throws(OutboundAllowlistError) {
        entries = try texts.map { text throws(OutboundAllowlistError) in
            guard let (host, port) = Self.hostAndPort(text), !host.isEmpty else { throw OutboundAllowlistError(entry: text) }
            return Entry(host: host, port: port)
        }
    }

    public func permits(_ destination: Destination) -> Bool {
        entries.contains { $0.host == destination.host && ($0.port == nil || $0.port == destination.port) }
    }

    /// The first destination of `spec` this list does not permit.
    public func firstRefused(in spec: RolloutSpec) -> Destination? {
        Self.destinations(of: spec).first { !permits($0) }
    }

    /// Where `spec` makes the server connect over the network. Addresses the rollout parser accepted but that
    /// name no host are reported with an empty host, so that they are refused rather than slip through.
    public static func destinations(of spec: RolloutSpec) -> [Destination] {
        var found: [Destination] = []
        if case .prometheus(let queries) = spec.metrics {
            found.append(destination(ofURL: queries.address, field: "metrics.address"))
        }
        if let notify = spec.notify {
            found.append(destination(ofURL: notify.url, field: "notify.url"))
        }
        // Read as the router reads it: an address it would take for a socket path reaches nothing.
        if case .haproxy(let address, _, _, _) = spec.router, let tcp = RouterSettings.haproxyTCPAddress(address) {
            found.append(Destination(field: "router.address", host: normalized(tcp.host), port: tcp.port))
        }
        return found
    }

    private static func destination(ofURL text: String, field: String) -> Destination {
        let components = URLComponents(string: text)
        let scheme = components?.scheme?.lowercased()
        let port = components?.port ?? (scheme == "https" ? 443 : 80)
        return Destination(field: field, host: normalized(components?.host ?? ""), port: port)
    }

    /// Hosts compare in lower case, IPv6 literals without their brackets, as entries are written down.
    private static func normalized(_ host: String) -> String {
        let lower = host.lowercased()
        return lower.hasPrefix("[") && lower.hasSuffix("]") ? String(lower.dropFirst().dropLast()) : lower
    }

    /// `host`, `host:port`, `[v6]` or `[v6]:port`; nil when the port is not a number from 1 to 65535.
    static func hostAndPort(_ text: String) -> (host: String, port: Int?)? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        if trimmed.hasPrefix("[") {
            guard let close = trimmed.firstIndex(of: "]") else { return nil }
            let host = String(trimmed[trimmed.index(after: trimmed.startIndex)..<close])
            let rest = trimmed[trimmed.index(after: close)...]
            if rest.isEmpty { return (host, nil) }
            guard rest.hasPrefix(":"), let port = Int(rest.dropFirst()), (1...65535).contains(port) else { return nil }
            return (host, port)
        }
        let parts = trimmed.split(separator: ":", omittingEmptySubsequences: false)
        switch parts.count {
        case 1: return (trimmed, nil)
        case 2:
            guard let port = Int(parts[1]), (1...65535).contains(port) else { return nil }
            return (String(parts[0]), port)
        default: return nil
        }
    }
}

public struct OutboundAllowlistError: Error, Sendable, Equatable, CustomStringConvertible {
    public var entry: String

    public init(entry: String) {
        self.entry = entry
    }

    public var description: String {
        "'\(entry)' is not a host to allow: give HOST or HOST:PORT, such as prometheus.internal:9090 or [fd00::5]:443"
    }
}
