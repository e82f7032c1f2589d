import BlastwallCore

/// An agent's request to run one command that needs other people's approval, and the single-use grant its
/// approval yields.
public struct OperationRecord: Sendable, Equatable {
    public enum State: String, Sendable, CaseIterable {
        /// Waiting for approvals.
        case pending
        /// Approved: the grant can be used once until it expires.
        case granted
        /// The grant was used.
        case used
        case rejected
        /// Granted but not used in time.
        case expired
    }

    public var id: Int64
    public var agent: String
    public var model: String?
    public var session: String?
    public var operatorName: String?
    public var command: String
    /// SHA-256 of the normalised command, its directory, the agent and the environment: what a grant is bound to.
    public var commandHash: String
    public var directory: String
    public var environment: String
    public var state: State
    /// The decision and classification that escalated it.
    public var decision: JSONValue
    public var requirements: JSONValue
    public var owners: [String: [String]]
    public var createdAt: String
    public var updatedAt: String
    public var grantedAt: String?
    public var expiresAt: String?
    public var usedAt: String?

    public init(
        id: Int64 = 0, agent: String, model: String?, session: String?, operatorName: String?, command: String, commandHash: String,
        directory: String, environment: String, state: State = .pending, decision: JSONValue, requirements: JSONValue,
        owners: [String: [String]], createdAt: String
    ) {
        self.id = id
        self.agent = agent
        self.model = model
        self.session = session
        self.operatorName = operatorName
        self.command = command
        self.commandHash = commandHash
        self.directory = directory
        self.environment = environment
        self.state = state
        self.decision = decision
        self.requirements = requirements
        self.owners = owners
        self.createdAt = createdAt
        updatedAt = createdAt
    }

    /// The state as of `time`: a grant past its expiry has expired, whether or not anyone wrote so.
    public func state(at time: String) -> State {
        if state == .granted, let expiresAt, expiresAt <= time { return .expired }
        return state
    }
}

public struct OperationReviewRecord: Sendable, Equatable {
    public var id: Int64
    public var operationID: Int64
    public var reviewer: String
    public var verdict: String
    public var comment: String?
    public var createdAt: String

    public init(id: Int64, operationID: Int64, reviewer: String, verdict: String, comment: String?, createdAt: String) {
        self.id = id
        self.operationID = operationID
        self.reviewer = reviewer
        self.verdict = verdict
        self.comment = comment
        self.createdAt = createdAt
    }
}

/// Operation requests and their reviews in the database.
public enum OperationStore {
    static func record(_ row: SQLRow) throws -> OperationRecord {
        guard let state = OperationRecord.State(rawValue: try row.text("state")) else {
            throw StorageError.corrupt("an operation has the unknown state '\(try row.text("state"))'")
        }
        guard let decision = try? JSONParser.parse(try row.text("decision_json")),
            let requirements = try? JSONParser.parse(try row.text("requirements_json")),
            case .object(let ownerMembers)? = try? JSONParser.parse(try row.text("owners_json"))
        else { throw StorageError.corrupt("an operation's decision, requirements or owners are not JSON") }
        var record = OperationRecord(
            id: try row.integer("id"), agent: try row.text("agent"), model: try row.optionalText("model"),
            session: try row.optionalText("session"), operatorName: try row.optionalText("operator"), command: try row.text("command"),
            commandHash: try row.text("command_hash"), directory: try row.text("directory"), environment: try row.text("environment"),
            state: state, decision: decision, requirements: requirements,
            owners: Dictionary(ownerMembers.map { ($0.0, $0.1.arrayValue?.compactMap(\.stringValue) ?? []) }, uniquingKeysWith: { $1 }),
            createdAt: try row.text("created_at"))
        record.updatedAt = try row.text("updated_at")
        record.grantedAt = try row.optionalText("granted_at")
        record.expiresAt = try row.optionalText("expires_at")
        record.usedAt = try row.optionalText("used_at")
        return record
    }

    public static func insert(_ transaction: any SQLExecutor, _ operation: OperationRecord) async throws -> OperationRecord {
        let owners = JSONValue.object(operation.owners.sorted { $0.key < $1.key }.map { ($0.key, .array($0.value.map(JSONValue.string))) })
        let rows = try await transaction.query(
            """
            INSERT INTO operations (agent, model, session, operator, command, command_hash, directory, environment, state,
              decision_json, requirements_json, owners_json, created_at, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING *
            """,
            [
                .text(operation.agent), operation.model.map(SQLValue.text) ?? .null, operation.session.map(SQLValue.text) ?? .null,
                operation.operatorName.map(SQLValue.text) ?? .null, .text(operation.command), .text(operation.commandHash),
                .text(operation.directory), .text(operation.environment), .text(operation.state.rawValue),
                .text(operation.decision.serialized(pretty: false)), .text(operation.requirements.serialized(pretty: false)),
                .text(owners.serialized(pretty: false)), .text(operation.createdAt),
            ])
        guard let row = rows.first else { throw StorageError.corrupt("the new operation was not returned") }
        return try record(row)
    }

    public static func find(_ database: any SQLExecutor, id: Int64) async throws -> OperationRecord? {
        try await database.query("SELECT * FROM operations WHERE id = $1", [.integer(id)]).first.map(record)
    }

    /// The newest request bound to `hash` in one of `states`.
    public static func latest(_ database: any SQLExecutor, hash: String, states: [OperationRecord.State]) async throws -> OperationRecord? {
        let list = states.map { "'\($0.rawValue)'" }.joined(separator: ", ")
        return try await database.query(
            "SELECT * FROM operations WHERE command_hash = $1 AND state IN (\(list)) ORDER BY id DESC LIMIT 1", [.text(hash)]
        ).first.map(record)
    }

    /// Oldest first, after the id `after` (a page's last); `state` narrows to one state as stored.
    public static func list(_ database: any SQLExecutor, state: OperationRecord.State?, after: Int64, limit: Int) async throws
        -> [OperationRecord]
    {
        var conditions: [String] = []
        var values: [SQLValue] = []
        if let state {
            values.append(.text(state.rawValue))
            conditions.append("state = $\(values.count)")
        }
        values.append(.integer(after))
        conditions.append("id > $\(values.count)")
        values.append(.integer(Int64(limit)))
        let filter = "WHERE " + conditions.joined(separator: " AND ")
        return try await database.query("SELECT * FROM operations \(filter) ORDER BY id LIMIT $\(values.count)", values).map(record)
    }

    /// Moves an operation from `from` to `to`, setting the times given; nil when it was no longer in `from`
    /// (someone else moved it first: a grant is used once).
    public static func transition(
        _ transaction: any SQLExecutor, id: Int64, from: OperationRecord.State, to: OperationRecord.State, time: String,
        grantedAt: String? = nil, expiresAt: String? = nil, usedAt: String? = nil
    ) async throws -> OperationRecord? {
        try await transaction.query(
            """
            UPDATE operations SET state = $1, updated_at = $2, granted_at = COALESCE($3, granted_at),
              expires_at = COALESCE($4, expires_at), used_at = COALESCE($5, used_at)
            WHERE id = $6 AND state = $7 RETURNING *
            """,
            [
                .text(to.rawValue), .text(time), grantedAt.map(SQLValue.text) ?? .null, expiresAt.map(SQLValue.text) ?? .null,
                usedAt.map(SQLValue.text) ?? .null, .integer(id), .text(from.rawValue),
            ]
        ).first.map(record)
    }

    public static func insertReview(
        _ transaction: any SQLExecutor, operationID: Int64, reviewer: String, verdict: String, comment: String?, time: String
    ) async throws -> OperationReviewRecord {
        let rows = try await transaction.query(
            """
            INSERT INTO operation_reviews (operation_id, reviewer, verdict, comment, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING *
            """,
            [.integer(operationID), .text(reviewer), .text(verdict), comment.map(SQLValue.text) ?? .null, .text(time)])
        guard let row = rows.first else { throw StorageError.corrupt("the new operation review was not returned") }
        return try review(row)
    }

    public static func reviews(_ database: any SQLExecutor, operationID: Int64) async throws -> [OperationReviewRecord] {
        try await database.query("SELECT * FROM operation_reviews WHERE operation_id = $1 ORDER BY id", [.integer(operationID)]).map(review)
    }

    static func review(_ row: SQLRow) throws -> OperationReviewRecord {
        OperationReviewRecord(
            id: try row.integer("id"), operationID: try row.integer("operation_id"), reviewer: try row.text("reviewer"),
            verdict: try row.text("verdict"), comment: try row.optionalText("comment"), createdAt: try row.text("created_at"))
    }
}
