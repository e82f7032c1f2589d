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
                switch action.prefix(while: { $0 != "." }) {
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

    /// Whether an event of `action` changes what servers keep in memory, so that the others must hear of it.
    static func othersMustHear(_ action: String) -> Bool {
        !CachedState.affected(by: [action]).isEmpty
    }

    /// Keeps the caches up with the other servers on the same database until cancelled: at once when one of
    /// them commits a write (its audit append or flag change notifies), and every `interval` in any case, in
    /// case a notification was missed while the listening connection was down.
    public func followOtherServers(pollingEvery interval: Duration = .seconds(1)) async {
        let written = Wakeup()
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.database.listen(to: AuditLog.appendedChannel) { written.signal() } }
            group.addTask {
                var lastFailure: String?
                while !Task.isCancelled {
                    do {
                        try await self.catchUp()
                        lastFailure = nil
                    } catch {
                        if "\(error)" != lastFailure {
                            self.logger.warning("reading other servers' writes failed; retrying", metadata: ["error": "\(error)"])
                        }
                        lastFailure = "\(error)"
                    }
                    await written.wait(upTo: interval)
                    // A burst of writes (this server's own included) becomes one round, at most twenty a second.
                    try? await Task.sleep(for: .milliseconds(50))
                }
            }
            await group.waitForAll()
        }
    }

    /// Takes in what other servers on the same database wrote: flags every time (the rollout leader moves
    /// them at each step without an audit event), the rest as the audit events since the last look say.
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
