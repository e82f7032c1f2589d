import BlastwallAudit
import BlastwallCore
import BlastwallStorage
import CEL

extension ControlPlane {
    /// An incident with its ranked suspects.
    public struct IncidentView: Sendable {
        public var incident: IncidentRecord
        /// True when this call opened it.
        public var opened: Bool
    }

    /// Takes an Alertmanager notification: one incident per open alert group, alerts deduplicated, resolved when
    /// none fires any more (with the time to restore). Storage failures are `storage` errors, which the route
    /// answers with 5xx, so that Alertmanager retries rather than drops. Nil when a group Blastwall never saw
    /// firing is resolved: nothing to record.
    public func receiveAlerts(_ notification: AlertmanagerNotification) async throws(ControlPlaneError) -> IncidentView? {
        let existing = try await read { try await IncidentStore.latest(database, groupKey: notification.groupKey) }
        let alerts: IncidentAlerts
        if let existing, existing.isOpen {
            var merged = IncidentAlerts(json: existing.alerts)
            guard merged.merge(notification) else { return IncidentView(incident: existing, opened: false) }
            alerts = merged
        } else {
            var fresh = IncidentAlerts()
            fresh.merge(notification)
            // A resolution of a group that is not open is nothing to record.
            guard fresh.isFiring else { return nil }
            // A late firing notification of a resolved incident's alerts does not reopen it; a new firing opens a new one.
            if let existing {
                let known = IncidentAlerts(json: existing.alerts).instances.map { IncidentAlerts.key($0.fingerprint, $0.startsAt) }
                let firing = fresh.instances.filter(\.isFiring).map { IncidentAlerts.key($0.fingerprint, $0.startsAt) }
                if Set(firing).isSubset(of: Set(known)) { return IncidentView(incident: existing, opened: false) }
            }
            alerts = fresh
        }
        guard let started = alerts.startedAt else { return nil }
        let open = existing.flatMap { $0.isOpen ? $0 : nil }
        let service = open?.service ?? notification.label(configuration.incidents.serviceLabels)
        let title =
            notification.commonAnnotations["summary"] ?? notification.alerts.first?.annotations["summary"]
            ?? notification.commonLabels["alertname"] ?? notification.groupKey
        let suspects = try await ranked(service: service, start: started)
        let time = now()
        let startedText = Self.timeText(milliseconds: Int64(started.nanoseconds / 1_000_000))
        let resolvedText = alerts.resolvedAt.map { Self.timeText(milliseconds: Int64($0.nanoseconds / 1_000_000)) }
        let severity = notification.label(["severity"])
        // Only plain values cross into the transaction: Swift 6.3 misaligns captured Int128s (Timestamp) there.
        let alertsJSON = alerts.json
        let stillFiring = alerts.isFiring
        let suspectsJSON = Self.suspectsJSON(suspects, at: time)
        return try await write { transaction in
            if var incident = open {
                incident.alerts = alertsJSON
                incident.startedAt = min(incident.startedAt, startedText)
                incident.severity = incident.severity ?? severity
                incident.suspects = suspectsJSON
                incident.updatedAt = time
                if let resolvedText, !stillFiring {
                    incident.state = "resolved"
                    incident.resolvedAt = resolvedText
                }
                try await IncidentStore.update(transaction, incident)
                try await self.auditIncident(
                    transaction, incident, action: incident.isOpen ? "incident.alerts_changed" : "incident.resolved", actor: "alertmanager",
                    time: time)
                return IncidentView(incident: incident, opened: false)
            }
            // Another notification of the group may have opened it meanwhile.
            if let opened = try await IncidentStore.open(transaction, groupKey: notification.groupKey) {
                return IncidentView(incident: opened, opened: false)
            }
            let incident = try await IncidentStore.insert(
                transaction,
                IncidentRecord(
                    groupKey: notification.groupKey, source: "alertmanager", service: service, title: title, severity: severity,
                    startedAt: startedText, detectedAt: time, alerts: alertsJSON, suspects: suspectsJSON, openedBy: "alertmanager",
                    createdAt: time, updatedAt: time))
            try await self.auditIncident(transaction, incident, action: "incident.opened", actor: "alertmanager", time: time)
            return IncidentView(incident: incident, opened: true)
        }
    }

    /// An incident declared by a person or another tool (`blastwall incident open`).
    public func declareIncident(service: String?, title: String, severity: String?, startedAt: String?, by actor: Principal)
        async throws(ControlPlaneError) -> IncidentView
    {
        try require(.manageIncidents, of: actor)
        guard !title.trimmingWhitespace().isEmpty else { throw .invalid(field: "title", message: "is required: say what is broken") }
        if let service, configuration.service(named: service) == nil, !configuration.services.isEmpty {
            throw .invalid(
                field: "service",
                message:
                    "'\(service)' is not a service of the configuration\(Suggestion.hint(for: service, among: configuration.services.map(\.name)))"
            )
        }
        let time = now()
        let startText = startedAt ?? time
        guard let start = Timestamp(rfc3339: startText) else {
            throw .invalid(field: "started_at", message: "must be an RFC 3339 time, such as 2026-12-02T03:00:00Z")
        }
        guard start.nanoseconds <= (Timestamp(rfc3339: time)?.nanoseconds ?? 0) + 60_000_000_000 else {
            throw .invalid(field: "started_at", message: "is in the future")
        }
        let suspects = Self.suspectsJSON(try await ranked(service: service, start: start), at: time)
        let startedText = Self.timeText(milliseconds: Int64(start.nanoseconds / 1_000_000))
        return try await write { transaction in
            let incident = try await IncidentStore.insert(
                transaction,
                IncidentRecord(
                    groupKey: nil, source: "declared", service: service, title: title, severity: severity, startedAt: startedText,
                    detectedAt: time, suspects: suspects, openedBy: actor.name, createdAt: time, updatedAt: time))
            try await self.auditIncident(transaction, incident, action: "incident.opened", actor: actor.name, time: time)
            return IncidentView(incident: incident, opened: true)
        }
    }

    public func resolveIncident(id: Int64, by actor: Principal) async throws(ControlPlaneError) -> IncidentRecord {
        try require(.manageIncidents, of: actor)
        let time = now()
        return try await write { transaction in
            guard var incident = try await IncidentStore.find(transaction, id: id) else {
                throw ControlPlaneError.notFound("no incident \(id)")
            }
            guard incident.isOpen else { throw ControlPlaneError.conflict("incident \(id) was resolved at \(incident.resolvedAt ?? "?")") }
            incident.state = "resolved"
            incident.resolvedAt = time
            incident.updatedAt = time
            try await IncidentStore.update(transaction, incident)
            try await self.auditIncident(transaction, incident, action: "incident.resolved", actor: actor.name, time: time)
            return incident
        }
    }

    /// Records which change caused the incident (`incident confirm ID --cause rollout/42`): one of its suspects,
    /// as change failure rate and the ranking's accuracy count it.
    public func confirmCause(of id: Int64, cause: String, by actor: Principal) async throws(ControlPlaneError) -> IncidentRecord {
        try require(.manageIncidents, of: actor)
        let time = now()
        return try await write { transaction in
            guard var incident = try await IncidentStore.find(transaction, id: id) else {
                throw ControlPlaneError.notFound("no incident \(id)")
            }
            let ranked = (incident.suspects["ranked"]?.arrayValue ?? []).compactMap { $0["reference"]?.stringValue }
            let unrelated = (incident.suspects["unrelated"]?.arrayValue ?? []).compactMap { $0["reference"]?.stringValue }
            guard ranked.contains(cause) || unrelated.contains(cause) else {
                let known = ranked + unrelated
                throw ControlPlaneError.invalid(
                    field: "cause",
                    message: known.isEmpty
                        ? "incident \(id) has no suspect to confirm"
                        : "'\(cause)' is not a suspect of incident \(id); its suspects are \(known.joined(separator: ", "))"
                            + Suggestion.hint(for: cause, among: known))
            }
            incident.confirmedCause = cause
            incident.updatedAt = time
            try await IncidentStore.update(transaction, incident)
            try await AuditLog.append(
                transaction, time: time, actor: actor.name, action: "incident.cause_confirmed", subject: "incident/\(id)",
                payload: .object([
                    ("cause", .string(cause)), ("rank", ranked.firstIndex(of: cause).map { .int(Int64($0 + 1)) } ?? .null),
                ]))
            return incident
        }
    }

    public func incident(id: Int64, by actor: Principal) async throws(ControlPlaneError) -> IncidentRecord {
        try require(.read, of: actor)
        guard let incident = try await read({ try await IncidentStore.find(database, id: id) }) else {
            throw .notFound("no incident \(id)")
        }
        return incident
    }

    /// The newest incidents whose ranked suspects include change `id`.
    public func incidents(implicating id: Int64, by actor: Principal) async throws(ControlPlaneError) -> [IncidentRecord] {
        try require(.read, of: actor)
        return try await read { try await IncidentStore.implicating(database, change: id, limit: 20) }
    }

    /// A page of incidents; `topSuspectOnly` reads each one's first suspect and no alert, for lists.
    public func incidents(
        state: String?, after: Int64, limit: Int, newestFirst: Bool = false, topSuspectOnly: Bool = false, by actor: Principal
    ) async throws(ControlPlaneError) -> [IncidentRecord] {
        try require(.read, of: actor)
        if let state, !["open", "resolved"].contains(state) {
            throw .invalid(field: "state", message: "must be open or resolved, not '\(state)'")
        }
        return try await read {
            try await IncidentStore.page(
                database, state: state, after: after, limit: limit, newestFirst: newestFirst, topSuspectOnly: topSuspectOnly)
        }
    }

    /// Ranks the incident's suspects again from the record as it is now, and stores and audits the result.
    public func rerankSuspects(of id: Int64, by actor: Principal) async throws(ControlPlaneError) -> IncidentRecord {
        try require(.read, of: actor)
        let current = try await incident(id: id, by: actor)
        guard let start = Timestamp(rfc3339: current.startedAt) else { throw .storage("incident \(id) has an unreadable start") }
        let time = now()
        let suspects = Self.suspectsJSON(try await ranked(service: current.service, start: start), at: time)
        return try await write { transaction in
            guard var incident = try await IncidentStore.find(transaction, id: id) else {
                throw ControlPlaneError.notFound("no incident \(id)")
            }
            incident.suspects = suspects
            incident.updatedAt = time
            try await IncidentStore.update(transaction, incident)
            return incident
        }
    }

    private func ranked(service: String?, start: Timestamp) async throws(ControlPlaneError) -> (ranked: [Suspect], unrelated: [Suspect]) {
        do {
            return try await rankSuspects(service: service, start: start)
        } catch {
            throw ControlPlaneError.from(error)
        }
    }

    /// The time from the incident's start to its restore, in seconds; nil while open.
    public static func timeToRestore(_ incident: IncidentRecord) -> Double? {
        guard let resolved = incident.resolvedAt.flatMap(Timestamp.init(rfc3339:)), let started = Timestamp(rfc3339: incident.startedAt)
        else { return nil }
        return Double(resolved.nanoseconds - started.nanoseconds) / 1e9
    }

    /// Every suspect is kept, with its explanation, so that any can be confirmed as the cause; the terms (which the
    /// explanation says in words) only for the first `detailedSuspects` of each list, so that a window of
    /// thousands of changes stays a small record to write and read.
    static func suspectsJSON(_ suspects: (ranked: [Suspect], unrelated: [Suspect]), at time: String) -> JSONValue {
        func list(_ suspects: [Suspect]) -> JSONValue {
            .array(
                suspects.enumerated().map { index, suspect in
                    guard index >= detailedSuspects, case .object(let members) = suspect.json else { return suspect.json }
                    return .object(members.filter { $0.0 != "terms" })
                })
        }
        return .object([("ranked_at", .string(time)), ("ranked", list(suspects.ranked)), ("unrelated", list(suspects.unrelated))])
    }

    static let detailedSuspects = 50

    /// One event per step of an incident: opened (with the top suspect and its terms), alerts changed, resolved
    /// (with the time to restore).
    private func auditIncident(_ transaction: any SQLExecutor, _ incident: IncidentRecord, action: String, actor: String, time: String)
        async throws
    {
        var payload: [(String, JSONValue)] = [
            ("title", .string(incident.title)), ("service", incident.service.map(JSONValue.string) ?? .null),
            ("severity", incident.severity.map(JSONValue.string) ?? .null), ("source", .string(incident.source)),
            ("started_at", .string(incident.startedAt)), ("state", .string(incident.state)),
        ]
        let ranked = incident.suspects["ranked"]?.arrayValue ?? []
        payload.append(("suspects", .array(Array(ranked.prefix(5)))))
        if let seconds = Self.timeToRestore(incident) { payload.append(("time_to_restore_seconds", .double(seconds))) }
        try await AuditLog.append(
            transaction, time: time, actor: actor, action: action, subject: "incident/\(incident.id)", payload: .object(payload))
    }
}

extension ControlPlane {
    /// What a post-incident record is written from: the incident, the change implicated (the confirmed cause's,
    /// else the top suspect's), and the audit events of the incident, its top suspects and that change, from the
    /// window before it began to its end, oldest first.
    public struct IncidentTimeline: Sendable {
        public var incident: IncidentRecord
        public var change: ChangeRecord?
        public var events: [AuditEvent]
    }

    public func timeline(of id: Int64, by actor: Principal) async throws(ControlPlaneError) -> IncidentTimeline {
        let incident = try await incident(id: id, by: actor)
        guard let start = Timestamp(rfc3339: incident.startedAt) else { throw .storage("incident \(id) has an unreadable start") }
        let since = Self.timeText(milliseconds: Int64(start.nanoseconds / 1_000_000) - Int64(configuration.incidents.window * 1000))
        let ranked = incident.suspects["ranked"]?.arrayValue ?? []
        let implicated =
            ranked.first { $0["reference"]?.stringValue == incident.confirmedCause } ?? ranked.first
        let changeID = implicated?["change"]?.intValue.map(Int64.init)
        var subjects = ["incident/\(id)"] + ranked.prefix(3).compactMap { $0["reference"]?.stringValue }
        if let changeID { subjects.append("change/\(changeID)") }
        let until = incident.resolvedAt.map { Self.time(-60, before: $0) ?? $0 }
        return try await read {
            var events: [AuditEvent] = []
            for subject in Set(subjects) where !subject.hasPrefix("audit/") {
                events += try await AuditLog.search(
                    database, AuditLog.Filter(subject: subject, since: since, until: until), before: nil, limit: 1_000)
            }
            // Agents' operations ranked as suspects are single events, named by their sequence.
            for reference in ranked.prefix(3).compactMap({ $0["reference"]?.stringValue }) where reference.hasPrefix("audit/") {
                if let sequence = Int64(reference.dropFirst("audit/".count)),
                    let event = try await AuditLog.events(database, after: sequence - 1, limit: 1).first
                {
                    events.append(event)
                }
            }
            let change = try await changeID.asyncMap { try await ChangeStore.find(database, id: $0) } ?? nil
            return IncidentTimeline(incident: incident, change: change, events: events.sorted { $0.sequence < $1.sequence })
        }
    }
}
