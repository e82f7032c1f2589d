import BlastwallAudit
import BlastwallCore
import BlastwallStorage
import CEL

extension ControlPlane {
    /// Appends a standalone event (for example from the API's append endpoint), durably.
    public func appendAuditEvent(action: String, subject: String, payload: JSONValue, by actor: Principal) async throws(ControlPlaneError)
        -> AuditEvent
    {
        try require(.submitChange, of: actor)
        let time = now()
        return try await write { transaction in
            try await AuditLog.append(
                transaction, time: time, actor: actor.name, action: action, subject: subject, payload: payload,
                notifyingOthers: Self.othersMustHear(action))
        }
    }

    /// The sequence of the newest audit event (0 for an empty log): how many events were ever appended.
    public func auditHeadSequence() async throws(ControlPlaneError) -> Int64 {
        do {
            let rows = try await database.query("SELECT COALESCE(MAX(sequence), 0) AS head FROM audit_events")
            return try rows.first?.integer("head") ?? 0
        } catch {
            throw .from(error)
        }
    }

    public func searchAudit(_ filter: AuditLog.Filter, before: Int64?, limit: Int, by actor: Principal) async throws(ControlPlaneError)
        -> [AuditEvent]
    {
        try require(.read, of: actor)
        return try await read { try await AuditLog.search(database, filter, before: before, limit: limit) }
    }

    public func auditEvents(after: Int64, limit: Int, by actor: Principal) async throws(ControlPlaneError) -> [AuditEvent] {
        try require(.read, of: actor)
        return try await read { try await AuditLog.events(database, after: after, limit: limit) }
    }

    public func verifyAudit(key: VerificationKey?, by actor: Principal) async throws(ControlPlaneError) -> LogVerification {
        try require(.read, of: actor)
        return try await read { try await AuditLog.verify(database, key: key) }
    }

    /// One audit event for the failed sign-ins of a client address over a period: aggregated, so that a
    /// flood of wrong tokens cannot flood the log.
    public func recordSignInFailures(client: String, count: Int, firstTime: Double, lastTime: Double) async throws(ControlPlaneError) {
        let time = now()
        let first = Timestamp(secondsSinceEpoch: Int64(firstTime))?.rfc3339 ?? time
        let last = Timestamp(secondsSinceEpoch: Int64(lastTime))?.rfc3339 ?? time
        _ = try await write { transaction in
            try await AuditLog.append(
                transaction, time: time, actor: "system", action: "auth.sign_in_failed", subject: "client/\(client)",
                payload: .object([
                    ("client", .string(client)), ("failures", .int(Int64(count))), ("first", .string(first)), ("last", .string(last)),
                ]))
        }
    }

    /// Every signed checkpoint, oldest first: `audit export` writes them after the events.
    public func auditCheckpoints(by actor: Principal) async throws(ControlPlaneError) -> [Checkpoint] {
        try require(.read, of: actor)
        return try await read { try await AuditLog.checkpoints(database) }
    }

    public func checkpointAudit(key: SigningKey, by actor: Principal) async throws(ControlPlaneError) -> Checkpoint? {
        try require(.signAudit, of: actor)
        return try await read { try await AuditLog.checkpoint(database, key: key, time: now()) }
    }
}
