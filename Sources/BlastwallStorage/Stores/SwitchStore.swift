/// A kill switch: a named flag that applications read to turn a feature or path off instantly.
public struct KillSwitch: Sendable, Equatable {
    public var name: String
    public var enabled: Bool
    public var reason: String?
    public var updatedBy: String
    public var updatedAt: String

    public init(name: String, enabled: Bool, reason: String?, updatedBy: String, updatedAt: String) {
        self.name = name
        self.enabled = enabled
        self.reason = reason
        self.updatedBy = updatedBy
        self.updatedAt = updatedAt
    }
}

/// Kill switches in the database.
public enum SwitchStore {
    static func killSwitch(_ row: SQLRow) throws -> KillSwitch {
        KillSwitch(
            name: try row.text("name"), enabled: try row.integer("enabled") != 0, reason: try row.optionalText("reason"),
            updatedBy: try row.text("updated_by"), updatedAt: try row.text("updated_at"))
    }

    public static func create(_ transaction: any SQLExecutor, name: String, actor: String, time: String) async throws -> KillSwitch {
        guard try await transaction.query("SELECT name FROM switches WHERE name = $1", [.text(name)]).isEmpty else {
            throw StorageError.conflict("a switch named '\(name)' already exists")
        }
        let rows = try await transaction.query(
            "INSERT INTO switches (name, enabled, reason, updated_by, updated_at) VALUES ($1, 0, NULL, $2, $3) RETURNING *",
            [.text(name), .text(actor), .text(time)])
        guard let row = rows.first else { throw StorageError.corrupt("the new switch was not returned") }
        return try killSwitch(row)
    }

    /// Sets a switch; nil when it does not exist.
    public static func set(
        _ transaction: any SQLExecutor, name: String, enabled: Bool, reason: String, actor: String, time: String
    ) async throws -> KillSwitch? {
        try await transaction.query(
            "UPDATE switches SET enabled = $1, reason = $2, updated_by = $3, updated_at = $4 WHERE name = $5 RETURNING *",
            [.integer(enabled ? 1 : 0), .text(reason), .text(actor), .text(time), .text(name)]
        ).first.map(killSwitch)
    }

    public static func all(_ database: any SQLExecutor) async throws -> [KillSwitch] {
        try await database.query("SELECT * FROM switches ORDER BY name").map(killSwitch)
    }
}
