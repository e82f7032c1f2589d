import BlastwallStorage

/// Servers that share a PostgreSQL database answer hot reads from memory; each takes in the others' writes
/// by reading the audit chain, which every state change appends to.
extension ControlPlane {
    /// The state a server keeps in memory, by what reloads it.
    public struct CachedState: OptionSet, Sendable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }

        public static let identities = CachedState(rawValue: 1)
        public static let switches = CachedState(rawValue: 2)
        public static let freezes = CachedState(rawValue: 4)
        /// Gate decisions depend on changes, reviews, identities and freezes.
        public static let gates = CachedState(rawValue: 8)
        public static let all: CachedState = [.identities, .switches, .freezes, .gates]

        /// What events with these actions leave out of date. Rollout, drill and custom events change no
        /// cached state (flags are read every time); an action of a kind this list does not know reloads all.
        public static func affected(by actions: Set<String>) -> CachedState {
            actions.reduce(into: []) { stale, action in
                switch action.prefix { $0 != "." } {
                case "identity": stale.formUnion([.identities, .gates])
                case "switch": stale.insert(.switches)
                case "freeze": stale.formUnion([.freezes, .gates])
                case "change", "approval", "override", "review": stale.insert(.gates)
                case "rollout", "drill", "custom", "audit", "checkpoint", "attestation": break
                default: stale.formUnion(.all)
                }
            }
        }
    }

    /// Takes in what other servers on the same database wrote: flags every time (the rollout leader moves
    /// them at each step without an audit event), the rest as the audit events since the last look say. The
    /// server calls this every second on PostgreSQL.
    public func catchUp() async throws {
        let head = try await auditHeadSequence()
        let seen = seenAuditHead.withLock { $0 }
        var stale: CachedState = []
        if head != seen {
            stale = CachedState.affected(by: try await AuditLog.actions(database, after: seen, through: head))
        }
        try await reload(stale)
        seenAuditHead.withLock { $0 = head }
    }

    /// Reloads `state` from storage, and the flags always.
    func reload(_ state: CachedState) async throws {
        if state.contains(.identities) { try await reloadIdentities() }
        if state.contains(.switches) {
            let all = try await SwitchStore.all(database)
            switches.withLock { $0 = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) }) }
        }
        if state.contains(.freezes) { try await reloadFreezes() }
        if state.contains(.gates) { gates.withLock { $0.removeAll() } }
        let storedFlags = try await FlagStore.all(database)
        flags.withLock { $0 = storedFlags }
    }
}
