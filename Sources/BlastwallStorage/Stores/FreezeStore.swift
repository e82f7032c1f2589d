import BlastwallCore

/// A freeze created at run time (`blastwall freeze create`). Every freeze has an end.
public struct FreezeRecord: Sendable, Equatable {
    public var id: Int64
    public var name: String
    public var from: String?
    public var until: String
    public var reason: String
    /// Services the freeze covers; empty means every service (narrowed by `condition` when set).
    public var services: [String]
    /// A CEL condition on the change, as in `blastwall.yml`.
    public var condition: String?
    /// The override's requirements, as JSON (`approvals`, `groups`).
    public var override: JSONValue
    public var createdBy: String
    public var createdAt: String
    public var liftedAt: String?
    public var liftedBy: String?

    public init(
        id: Int64 = 0, name: String, from: String?, until: String, reason: String, services: [String], condition: String?,
        override: JSONValue,
        createdBy: String, createdAt: String, liftedAt: String? = nil, liftedBy: String? = nil
    ) {
        self.id = id
        self.name = name
        self.from = from
        self.until = until
        self.reason = reason
        self.services = services
        self.condition = condition
        self.override = override
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.liftedAt = liftedAt
        self.liftedBy = liftedBy
    }
}

/// Runtime freezes in the database.
public enum FreezeStore {
    static func record(_ row: SQLRow) throws -> FreezeRecord {
        guard let override = try? JSONParser.parse(try row.text("override_json")) else {
            throw StorageError.corrupt("a freeze's override is not JSON")
        }
        return FreezeRecord(
            id: try row.integer("id"), name: try row.text("name"), from: try row.optionalText("from_time"),
            until: try row.text("until_time"),
            reason: try row.text("reason"), services: try IdentityStore.decodeStrings(try row.text("services_json")),
            condition: try row.optionalText("condition"), override: override, createdBy: try row.text("created_by"),
            createdAt: try row.text("created_at"), liftedAt: try row.optionalText("lifted_at"), liftedBy: try row.optionalText("lifted_by"))
    }

    public static func insert(_ transaction: any SQLExecutor, _ freeze: FreezeRecord) async throws -> FreezeRecord {
        let rows = try await transaction.query(
            """
            INSERT INTO freezes (name, from_time, until_time, reason, services_json, condition, override_json, created_by, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *
            """,
            [
                .text(freeze.name), freeze.from.map(SQLValue.text) ?? .null, .text(freeze.until), .text(freeze.reason),
                .text(IdentityStore.strings(freeze.services)), freeze.condition.map(SQLValue.text) ?? .null,
                .text(freeze.override.serialized(pretty: false)), .text(freeze.createdBy), .text(freeze.createdAt),
            ])
        guard let row = rows.first else { throw StorageError.corrupt("the new freeze was not returned") }
        return try record(row)
    }

    /// Freezes not lifted whose end is after `time` (RFC 3339 strings in UTC compare in time order).
    public static func current(_ database: any SQLExecutor, at time: String) async throws -> [FreezeRecord] {
        try await database.query(
            "SELECT * FROM freezes WHERE lifted_at IS NULL AND until_time > $1 ORDER BY id", [.text(time)]
        ).map(record)
    }

    public static func lift(_ transaction: any SQLExecutor, id: Int64, actor: String, time: String) async throws -> FreezeRecord? {
        try await transaction.query(
            "UPDATE freezes SET lifted_at = $1, lifted_by = $2 WHERE id = $3 AND lifted_at IS NULL RETURNING *",
            [.text(time), .text(actor), .integer(id)]
        ).first.map(record)
    }
}
