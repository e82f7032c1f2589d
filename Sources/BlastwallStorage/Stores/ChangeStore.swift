import BlastwallCore
import CEL

/// A change as many are read at once: what suspects need, from columns.
public struct ChangeSummary: Sendable, Equatable {
    public var id: Int64
    public var repository: String
    public var branch: String
    public var services: [String]
    public var provenance: String
    public var riskScore: Int?
    public var riskLevel: String?
    public var classes: [String]
    public var updatedAt: String
}

/// A submitted change: its latest head, the gate's requirements for it, and the stored report.
public struct ChangeRecord: Sendable {
    public var id: Int64
    public var repository: String
    public var branch: String
    public var head: String
    public var base: String?
    public var submittedBy: String
    public var decision: String
    /// The gate state: pending, satisfied, denied or rejected.
    public var state: String
    public var services: [String]
    public var provenance: String
    /// The gate requirements as JSON (see `GateRequirementsCoding`).
    public var gate: JSONValue
    /// The `blastwall check` JSON report of the latest head.
    public var report: JSONValue
    /// Who produced the report: the server from its mirror, or a ci identity whose signature it carries.
    public var analysis: Analysis
    public var createdAt: String
    public var updatedAt: String

    public enum Analysis: Sendable, Equatable {
        /// The server read the range from its mirror of the repository.
        case server
        /// A report signed by the key of this `ci` identity.
        case clientAttested(by: String)
        /// Stored before the server analysed ranges: the submitter's word.
        case client

        public var name: String {
            switch self {
            case .server: return "server"
            case .clientAttested: return "client-attested"
            case .client: return "client"
            }
        }

        public var attestedBy: String? {
            if case .clientAttested(let name) = self { return name }
            return nil
        }
    }

    public init(
        id: Int64, repository: String, branch: String, head: String, base: String?, submittedBy: String, decision: String, state: String,
        services: [String], provenance: String, gate: JSONValue, report: JSONValue, analysis: Analysis, createdAt: String,
        updatedAt: String
    ) {
        self.analysis = analysis
        self.id = id
        self.repository = repository
        self.branch = branch
        self.head = head
        self.base = base
        self.submittedBy = submittedBy
        self.decision = decision
        self.state = state
        self.services = services
        self.provenance = provenance
        self.gate = gate
        self.report = report
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// Changes in the database, one per repository and branch.
public enum ChangeStore {
    static func record(_ row: SQLRow) throws -> ChangeRecord {
        func json(_ column: String) throws -> JSONValue {
            guard let value = try? JSONParser.parse(try row.text(column)) else {
                throw StorageError.corrupt("change column \(column) is not JSON")
            }
            return value
        }
        return ChangeRecord(
            id: try row.integer("id"), repository: try row.text("repository"), branch: try row.text("branch"), head: try row.text("head"),
            base: try row.optionalText("base"), submittedBy: try row.text("submitted_by"), decision: try row.text("decision"),
            state: try row.text("state"), services: try IdentityStore.decodeStrings(try row.text("services_json")),
            provenance: try row.text("provenance"), gate: try json("gate_json"), report: try json("report_json"),
            analysis: try analysis(row), createdAt: try row.text("created_at"), updatedAt: try row.text("updated_at"))
    }

    static func analysis(_ row: SQLRow) throws -> ChangeRecord.Analysis {
        switch try row.text("analysed_by") {
        case "server": return .server
        case "client-attested":
            guard let name = try row.optionalText("attested_by") else { throw StorageError.corrupt("an attested change names no signer") }
            return .clientAttested(by: name)
        default: return .client
        }
    }

    public static func find(_ database: any SQLExecutor, repository: String, branch: String) async throws -> ChangeRecord? {
        try await database.query("SELECT * FROM changes WHERE repository = $1 AND branch = $2", [.text(repository), .text(branch)]).first
            .map(record)
    }

    public static func find(_ database: any SQLExecutor, id: Int64) async throws -> ChangeRecord? {
        try await database.query("SELECT * FROM changes WHERE id = $1", [.integer(id)]).first.map(record)
    }

    /// Inserts a new change or replaces the head, report and gate of the existing one for the branch.
    public static func upsert(_ transaction: any SQLExecutor, _ change: ChangeRecord, time: String) async throws -> ChangeRecord {
        let values: [SQLValue] = [
            .text(change.head), change.base.map(SQLValue.text) ?? .null, .text(change.submittedBy), .text(change.decision),
            .text(change.state),
            .text(IdentityStore.strings(change.services)), .text(change.provenance), .text(change.gate.serialized(pretty: false)),
            .text(change.report.serialized(pretty: false)), .text(time), .text(change.analysis.name),
            change.analysis.attestedBy.map(SQLValue.text) ?? .null, firstCommitSeconds(change.report).map(SQLValue.real) ?? .null,
            change.report["risk"]?["score"]?.intValue.map { .integer(Int64($0)) } ?? .null,
            change.report["risk"]?["level"]?.stringValue.map(SQLValue.text) ?? .null,
            .text(IdentityStore.strings((change.report["classes"]?.arrayValue ?? []).compactMap(\.stringValue))),
        ]
        if let existing = try await find(transaction, repository: change.repository, branch: change.branch) {
            let rows = try await transaction.query(
                """
                UPDATE changes SET head = $1, base = $2, submitted_by = $3, decision = $4, state = $5, services_json = $6,
                  provenance = $7, gate_json = $8, report_json = $9, updated_at = $10, analysed_by = $11, attested_by = $12,
                  first_commit_at = $13, risk_score = $14, risk_level = $15, classes_json = $16
                WHERE id = $17 RETURNING *
                """, values + [.integer(existing.id)])
            guard let row = rows.first else { throw StorageError.corrupt("the updated change was not returned") }
            return try record(row)
        }
        let rows = try await transaction.query(
            """
            INSERT INTO changes (head, base, submitted_by, decision, state, services_json, provenance, gate_json, report_json,
              updated_at, analysed_by, attested_by, first_commit_at, risk_score, risk_level, classes_json, repository, branch,
              created_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $10) RETURNING *
            """, values + [.text(change.repository), .text(change.branch)])
        guard let row = rows.first else { throw StorageError.corrupt("the new change was not returned") }
        return try record(row)
    }

    /// Many changes at once as suspects read them, by id: provenance and risk from columns, no report parsed.
    public static func summaries(_ database: any SQLExecutor, ids: [Int64]) async throws -> [Int64: ChangeSummary] {
        var summaries: [Int64: ChangeSummary] = [:]
        for list in idLists(ids) {
            for row in try await database.query("SELECT \(summaryColumns) FROM changes WHERE id IN (\(list))") {
                let summary = try summary(row)
                summaries[summary.id] = summary
            }
        }
        return summaries
    }

    /// Changes whose gate was satisfied between `since` and `until` (their last update) and that no rollout
    /// created before `until` carries: what shipped by other means (a pipeline after `check --wait`, a config push).
    public static func satisfiedWithoutRollout(_ database: any SQLExecutor, since: String, until: String) async throws -> [ChangeSummary] {
        try await database.query(
            """
            SELECT \(summaryColumns) FROM changes c WHERE c.state = 'satisfied' AND c.updated_at >= $1 AND c.updated_at < $2
              AND NOT EXISTS (SELECT 1 FROM rollouts r WHERE r.change_id = c.id AND r.created_at < $2)
            ORDER BY c.updated_at DESC LIMIT 5000
            """, [.text(since), .text(until)]
        ).map(summary)
    }

    static let summaryColumns =
        "id, repository, branch, services_json, provenance, risk_score, risk_level, classes_json, updated_at"

    static func summary(_ row: SQLRow) throws -> ChangeSummary {
        ChangeSummary(
            id: try row.integer("id"), repository: try row.text("repository"), branch: try row.text("branch"),
            services: try IdentityStore.decodeStrings(try row.text("services_json")), provenance: try row.text("provenance"),
            riskScore: try row.optionalInteger("risk_score").map(Int.init), riskLevel: try row.optionalText("risk_level"),
            classes: try IdentityStore.decodeStrings(try row.text("classes_json")), updatedAt: try row.text("updated_at"))
    }

    /// When the change's earliest commit was authored, in seconds since the epoch: where DORA's lead time starts.
    static func firstCommitSeconds(_ report: JSONValue) -> Double? {
        (report["commits"]?.arrayValue ?? []).compactMap { $0["authored_at"]?.stringValue.flatMap(Timestamp.init(rfc3339:)) }
            .map { Double($0.nanoseconds) / 1e9 }.min()
    }

    public static func setState(_ transaction: any SQLExecutor, id: Int64, state: String, time: String) async throws {
        try await transaction.query(
            "UPDATE changes SET state = $1, updated_at = $2 WHERE id = $3", [.text(state), .text(time), .integer(id)])
    }

    /// Filters of `change list`.
    public struct Filter: Sendable {
        public var repository: String?
        public var branch: String?
        public var service: String?
        public var provenance: String?
        public var state: String?

        public init(
            repository: String? = nil, branch: String? = nil, service: String? = nil, provenance: String? = nil, state: String? = nil
        ) {
            self.repository = repository
            self.branch = branch
            self.service = service
            self.provenance = provenance
            self.state = state
        }
    }

    /// A page of changes ordered by id, after `after`; or, `newestFirst`, the newest before `after` (0: the newest).
    public static func page(_ database: any SQLExecutor, _ filter: Filter, after: Int64, limit: Int, newestFirst: Bool = false)
        async throws -> [ChangeRecord]
    {
        var clauses = [newestFirst ? (after > 0 ? "id < $1" : "id > $1") : "id > $1"]
        var binds: [SQLValue] = [.integer(newestFirst && after <= 0 ? 0 : after)]
        func add(_ column: String, _ value: String?, like: Bool = false) {
            guard let value else { return }
            binds.append(.text(like ? "%\"\(value)\"%" : value))
            clauses.append("\(column) \(like ? "LIKE" : "=") $\(binds.count)")
        }
        add("repository", filter.repository)
        add("branch", filter.branch)
        add("services_json", filter.service, like: true)
        add("provenance", filter.provenance)
        add("state", filter.state)
        binds.append(.integer(Int64(limit)))
        return try await database.query(
            "SELECT * FROM changes WHERE \(clauses.joined(separator: " AND ")) ORDER BY id \(newestFirst ? "DESC" : "") LIMIT $\(binds.count)",
            binds
        ).map(record)
    }
}
