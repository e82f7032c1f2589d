import BlastwallCore
import BlastwallStorage

/// Undoing an incident's suspect the way its kind needs — abort a running rollout, undo a finished one, flip
/// a switch back — as the person who asked (or, with `incidents.auto_rollback`, as the server), audited.
public struct IncidentRollback: Sendable {
    let controlPlane: ControlPlane
    let controller: RolloutController

    public init(controlPlane: ControlPlane, controller: RolloutController) {
        self.controlPlane = controlPlane
        self.controller = controller
    }

    /// What was undone: the suspect as ranked, and the action taken.
    public struct Outcome: Sendable {
        public var incident: IncidentRecord
        public var suspect: JSONValue
        public var action: String
    }

    /// The identity automatic rollbacks act as.
    public static let automation = Principal(name: "auto-rollback", kind: .bot, role: .ci)

    /// Rolls back the incident's suspect at `rank` (1: the top one).
    public func rollback(incident id: Int64, rank: Int = 1, by actor: Principal) async throws(ControlPlaneError) -> Outcome {
        let incident = try await controlPlane.incident(id: id, by: actor)
        let ranked = incident.suspects["ranked"]?.arrayValue ?? []
        guard !ranked.isEmpty else {
            throw .conflict("incident \(id) has no suspect: nothing Blastwall recorded changed in the window before it began")
        }
        guard (1...ranked.count).contains(rank) else {
            throw .invalid(
                field: "suspect",
                message: "incident \(id) has \(ranked.count) suspect\(ranked.count == 1 ? "" : "s"); give 1 to \(ranked.count)")
        }
        let suspect = ranked[rank - 1]
        let reference = suspect["reference"]?.stringValue ?? "?"
        let rollback = suspect["rollback"]
        let action: String
        switch rollback?["action"]?.stringValue {
        case "abort":
            let rollout = rollback?["rollout"]?.intValue.map(Int64.init) ?? 0
            _ = try await controller.command(.abort, rollout: rollout, by: actor)
            action = "aborted rollout \(rollout): traffic back to stable"
        case "undo":
            let service = rollback?["service"]?.stringValue ?? ""
            let undone = try await controller.undo(service: service, by: actor)
            action = "undid rollout \(undone.id): \(service) back to \(undone.spec.stableVersion)"
        case "flip":
            let name = rollback?["switch"]?.stringValue ?? ""
            let enabled = rollback?["enabled"] == .bool(true)
            _ = try await controlPlane.flipSwitch(
                named: name, enabled: enabled, reason: "rollback of incident \(id)'s suspect \(reference)", by: actor)
            action = "turned switch \(name) \(enabled ? "on" : "off") again"
        default:
            throw .conflict(
                "suspect \(rank) of incident \(id), \(reference), is not something Blastwall can roll back; undo it by hand, then "
                    + "'blastwall incident confirm \(id) --cause \(reference)'")
        }
        try await controlPlane.recordRollback(of: incident, suspect: suspect, action: action, by: actor)
        return Outcome(incident: incident, suspect: suspect, action: action)
    }

    /// With `incidents.auto_rollback`: rolls back a just-opened incident's top suspect when it is of an allowed
    /// kind, still in progress or a flag, and scores at least the minimum. Nil when nothing was done.
    public func automatically(_ incident: IncidentRecord) async -> Outcome? {
        guard let automation = controlPlane.configuration.incidents.autoRollback,
            let top = incident.suspects["ranked"]?.arrayValue?.first,
            let kind = top["kind"]?.stringValue.flatMap(SuspectCandidate.Kind.init(rawValue:)), automation.kinds.contains(kind),
            (top["score"]?.doubleValue ?? 0) >= automation.minimumScore, top["rollback"]?["action"]?.stringValue == "abort"
        else { return nil }
        do {
            return try await rollback(incident: incident.id, by: Self.automation)
        } catch {
            controlPlane.logger.warning(
                "the automatic rollback of an incident's top suspect failed",
                metadata: ["incident": "\(incident.id)", "suspect": "\(top["reference"]?.stringValue ?? "")", "error": "\(error)"])
            return nil
        }
    }
}

extension ControlPlane {
    /// The audit event of a rollback an incident called for.
    func recordRollback(of incident: IncidentRecord, suspect: JSONValue, action: String, by actor: Principal)
        async throws(ControlPlaneError)
    {
        let time = now()
        try await write { transaction in
            _ = try await AuditLog.append(
                transaction, time: time, actor: actor.name,
                action: actor.name == IncidentRollback.automation.name ? "incident.auto_rollback" : "incident.rollback",
                subject: "incident/\(incident.id)",
                payload: .object([
                    ("suspect", suspect["reference"] ?? .null), ("score", suspect["score"] ?? .null),
                    ("explanation", suspect["explanation"] ?? .null), ("action", .string(action)),
                ]))
        }
    }
}
