import BlastwallCore
import BlastwallStorage

extension ControlPlane {
    /// The hot path: a switch's state from memory, no database access.
    public func killSwitch(named name: String) -> KillSwitch? {
        switches.withLock { $0[name] }
    }

    public func allSwitches() -> [KillSwitch] {
        switches.withLock { Array($0.values) }.sorted { $0.name < $1.name }
    }

    public func createSwitch(named name: String, by actor: Principal) async throws(ControlPlaneError) -> KillSwitch {
        try require(.createSwitch, of: actor)
        try Self.validateName(name, field: "name")
        let time = now()
        let created = try await write { transaction in
            let created = try await SwitchStore.create(transaction, name: name, actor: actor.name, time: time)
            try await AuditLog.append(
                transaction, time: time, actor: actor.name, action: "switch.created", subject: "switch/\(name)", payload: .object([]))
            return created
        }
        switches.withLock { $0[name] = created }
        return created
    }

    /// Turns a switch on or off. The reason is required: a flip during an incident must say why.
    public func flipSwitch(named name: String, enabled: Bool, reason: String, by actor: Principal) async throws(ControlPlaneError)
        -> KillSwitch
    {
        try require(.flipSwitch, of: actor)
        guard !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw .invalid(field: "reason", message: "say why the switch is flipped")
        }
        let time = now()
        let updated = try await write { transaction in
            guard
                let updated = try await SwitchStore.set(
                    transaction, name: name, enabled: enabled, reason: reason, actor: actor.name, time: time)
            else {
                throw ControlPlaneError.notFound("no switch named '\(name)'; create it with 'blastwall switch create \(name)'")
            }
            try await AuditLog.append(
                transaction, time: time, actor: actor.name, action: "switch.flipped", subject: "switch/\(name)",
                payload: .object([("enabled", .bool(enabled)), ("reason", .string(reason))]))
            return updated
        }
        // Memory follows the committed state, so a read never sees a flip that did not happen.
        switches.withLock { $0[name] = updated }
        return updated
    }
}
