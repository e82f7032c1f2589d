import BlastwallCore

/// An incident: from an Alertmanager alert group or declared by someone, its alerts, and its suspects as last ranked.
public struct IncidentRecord: Sendable, Equatable {
    public var id: Int64
    /// Alertmanager's group key; nil for a declared incident.
    public var groupKey: String?
    /// `alertmanager` or `declared`.
    public var source: String
    public var service: String?
    public var title: String
    public var severity: String?
    /// `open` or `resolved`.
    public var state: String
    /// When it began: the first alert's start, or when it was declared.
    public var startedAt: String
    /// When Blastwall learnt of it.
    public var detectedAt: String
    public var resolvedAt: String?
    public var alerts: JSONValue
    public var suspects: JSONValue
    public var confirmedCause: String?
    public var openedBy: String
    public var createdAt: String
    public var updatedAt: String

    public var isOpen: Bool { state == "open" }

    public init(
        id: Int64 = 0, groupKey: String?, source: String, service: String?, title: String, severity: String?, state: String = "open",
        startedAt: String, detectedAt: String, resolvedAt: String? = nil, alerts: JSONValue = .array([]),
        suspects: JSONValue = .array([]), confirmedCause: String? = nil, openedBy: String, createdAt: String, updatedAt: String
    ) {
        self.id = id
        self.groupKey = groupKey
        self.source = source
        self.service = service
        self.title = title
        self.severity = severity
        self.state = state
        self.startedAt = startedAt
        self.detectedAt = detectedAt
        self.resolvedAt = resolvedAt
        self.alerts = alerts
        self.suspects = suspects
        self.confirmedCause = confirmedCause
        self.openedBy = openedBy
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

public enum IncidentStore {
    static func record(_ row: SQLRow) throws -> IncidentRecord { try record(row, suspects: nil) }

    /// `suspects`, when given, stands for the stored ranking (a list reads only its top suspect).
    static func record(_ row: SQLRow, suspects: JSONValue?) throws -> IncidentRecord {
        func json(_ column: String) throws -> JSONValue {
            do { return try JSONParser.parse(try row.text(column)) } catch { throw StorageError.corrupt("incidents.\(column) is not JSON") }
        }
        return IncidentRecord(
            id: try row.integer("id"), groupKey: try row.optionalText("group_key"), source: try row.text("source"),
            service: try row.optionalText("service"), title: try row.text("title"), severity: try row.optionalText("severity"),
            state: try row.text("state"), startedAt: try row.text("started_at"), detectedAt: try row.text("detected_at"),
            resolvedAt: try row.optionalText("resolved_at"), alerts: try json("alerts_json"),
            suspects: try suspects ?? json("suspects_json"),
            confirmedCause: try row.optionalText("confirmed_cause"), openedBy: try row.text("opened_by"),
            createdAt: try row.text("created_at"), updatedAt: try row.text("updated_at"))
    }

    static func optional(_ text: String?) -> SQLValue { text.map(SQLValue.text) ?? .null }

    public static func insert(_ transaction: any SQLExecutor, _ incident: IncidentRecord) async throws -> IncidentRecord {
        let rows = try await transaction.query(
            """
            INSERT INTO incidents (group_key, source, service, title, severity, state, started_at, detected_at, resolved_at,
              alerts_json, suspects_json, confirmed_cause, opened_by, created_at, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id
            """,
            [
                optional(incident.groupKey), .text(incident.source), optional(incident.service), .text(incident.title),
                optional(incident.severity), .text(incident.state), .text(incident.startedAt), .text(incident.detectedAt),
                optional(incident.resolvedAt), .text(incident.alerts.serialized(pretty: false)),
                .text(incident.suspects.serialized(pretty: false)), optional(incident.confirmedCause), .text(incident.openedBy),
                .text(incident.createdAt), .text(incident.updatedAt),
            ])
        // Only the id comes back: parsing the suspects just written again is what a declaration spent its time on.
        guard let id = try rows.first?.integer("id") else { throw StorageError.corrupt("the new incident was not returned") }
        var stored = incident
        stored.id = id
        return stored
    }

    /// Writes every field of an existing incident.
    public static func update(_ transaction: any SQLExecutor, _ incident: IncidentRecord) async throws {
        try await transaction.query(
            """
            UPDATE incidents SET service = $1, title = $2, severity = $3, state = $4, started_at = $5, resolved_at = $6,
              alerts_json = $7, suspects_json = $8, confirmed_cause = $9, updated_at = $10 WHERE id = $11
            """,
            [
                optional(incident.service), .text(incident.title), optional(incident.severity), .text(incident.state),
                .text(incident.startedAt), optional(incident.resolvedAt), .text(incident.alerts.serialized(pretty: false)),
                .text(incident.suspects.serialized(pretty: false)), optional(incident.confirmedCause), .text(incident.updatedAt),
                .integer(incident.id),
            ])
    }

    public static func find(_ database: any SQLExecutor, id: Int64) async throws -> IncidentRecord? {
        try await database.query("SELECT * FROM incidents WHERE id = $1", [.integer(id)]).first.map(record)
    }

    /// The open incident of an alert group, if any.
    public static func open(_ database: any SQLExecutor, groupKey: String) async throws -> IncidentRecord? {
        try await database.query(
            "SELECT * FROM incidents WHERE group_key = $1 AND state = 'open' ORDER BY id DESC LIMIT 1", [.text(groupKey)]
        ).first.map(record)
    }

    /// The latest incident of an alert group, open or not.
    public static func latest(_ database: any SQLExecutor, groupKey: String) async throws -> IncidentRecord? {
        try await database.query("SELECT * FROM incidents WHERE group_key = $1 ORDER BY id DESC LIMIT 1", [.text(groupKey)]).first.map(
            record)
    }

    /// Incidents that began at or after `since` and have a confirmed cause.
    public static func confirmed(_ database: any SQLExecutor, since: String) async throws -> [IncidentRecord] {
        try await database.query(
            "SELECT * FROM incidents WHERE confirmed_cause IS NOT NULL AND started_at >= $1 ORDER BY id", [.text(since)]
        ).map(record)
    }

    /// A page of incidents by id after `after`, optionally only in one state.
    /// A page ordered by id after `after`; or, `newestFirst`, the newest before `after` (0: the newest).
    /// `topSuspectOnly` reads each incident's first ranked suspect and no alert, for lists: the whole ranking
    /// of a busy window is thousands of suspects, which a list of incidents does not show.
    public static func page(
        _ database: any SQLExecutor, state: String?, after: Int64, limit: Int, newestFirst: Bool = false, topSuspectOnly: Bool = false
    ) async throws -> [IncidentRecord] {
        let bound = newestFirst && after > 0 ? "id < $1" : "id > $1"
        let order = newestFirst ? "id DESC" : "id"
        let columns =
            !topSuspectOnly
            ? "*"
            : database.dialect == .postgres
                ? "\(leanColumns), '[]' AS alerts_json, COALESCE((suspects_json::jsonb -> 'ranked' -> 0)::text, '') AS top_json"
                : "\(leanColumns), '[]' AS alerts_json, COALESCE(json_extract(suspects_json, '$.ranked[0]'), '') AS top_json"
        let filter = state == nil ? "" : " AND state = $2"
        let binds: [SQLValue] = [.integer(after)] + (state.map { [.text($0)] } ?? []) + [.integer(Int64(limit))]
        let rows = try await database.query(
            "SELECT \(columns) FROM incidents WHERE \(bound)\(filter) ORDER BY \(order) LIMIT $\(binds.count)", binds)
        guard topSuspectOnly else { return try rows.map(record) }
        return try rows.map { row in
            let top = try row.text("top_json")
            let suspects: JSONValue =
                top.isEmpty
                ? .object([("ranked", .array([]))])
                : .object([("ranked", .array([(try? JSONParser.parse(top)) ?? .null]))])
            return try record(row, suspects: suspects)
        }
    }

    /// The newest incidents that rank change `id` among their suspects (directly, or through a rollout of it).
    public static func implicating(_ database: any SQLExecutor, change id: Int64, limit: Int) async throws -> [IncidentRecord] {
        // The stored ranking is compact JSON, in which a suspect's change reads `"change":ID,` (or `}` last);
        // the text match finds the few candidates, the parsed ranking decides.
        let rows = try await database.query(
            "SELECT * FROM incidents WHERE suspects_json LIKE $1 OR suspects_json LIKE $2 ORDER BY id DESC LIMIT $3",
            [.text("%\"change\":\(id),%"), .text("%\"change\":\(id)}%"), .integer(Int64(limit))])
        return try rows.map(record).filter { incident in
            (incident.suspects["ranked"]?.arrayValue ?? []).contains { $0["change"]?.intValue == Int(id) }
        }
    }

    static let leanColumns =
        "id, group_key, source, service, title, severity, state, started_at, detected_at, resolved_at, confirmed_cause, opened_by, created_at, updated_at"
}
