/// A forge's webhook delivery, stored as received once its signature checked out, until it is applied.
public struct ForgeDeliveryRecord: Sendable, Equatable {
    public var id: Int64
    public var forge: String
    public var deliveryID: String
    public var event: String
    public var body: String
    public var receivedAt: String
    public var processedAt: String?
    public var outcome: String?
    /// How many times a worker took it.
    public var attempts: Int = 0
    public var lastError: String? = nil
}

/// The durable queue of deliveries: a delivery is acknowledged only once it is here, and here only once.
public enum ForgeDeliveryStore {
    static func record(_ row: SQLRow) throws -> ForgeDeliveryRecord {
        ForgeDeliveryRecord(
            id: try row.integer("id"), forge: try row.text("forge"), deliveryID: try row.text("delivery_id"), event: try row.text("event"),
            body: try row.text("body"), receivedAt: try row.text("received_at"), processedAt: try row.optionalText("processed_at"),
            outcome: try row.optionalText("outcome"), attempts: Int(try row.integer("attempts")),
            lastError: try row.optionalText("last_error"))
    }

    /// Stores a delivery; nil when one with the same forge and id is already stored (a replay changes nothing).
    public static func insert(
        _ transaction: any SQLExecutor, forge: String, deliveryID: String, event: String, body: String, time: String
    ) async throws -> ForgeDeliveryRecord? {
        try await transaction.query(
            """
            INSERT INTO forge_deliveries (forge, delivery_id, event, body, received_at) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (forge, delivery_id) DO NOTHING RETURNING *
            """,
            [.text(forge), .text(deliveryID), .text(event), .text(body), .text(time)]
        ).first.map(record)
    }

    /// Deliveries not yet applied, oldest first.
    public static func pending(_ database: any SQLExecutor, limit: Int) async throws -> [ForgeDeliveryRecord] {
        try await database.query(
            "SELECT * FROM forge_deliveries WHERE processed_at IS NULL ORDER BY id LIMIT $1", [.integer(Int64(limit))]
        ).map(record)
    }

    /// Takes the oldest delivery nobody has applied or holds, and holds it until `until`: a worker that dies
    /// lets go of it when that time passes. The condition is checked again on the row itself, so two servers
    /// never take the same delivery.
    public static func claim(_ transaction: any SQLExecutor, now: String, until: String, by holder: String) async throws
        -> ForgeDeliveryRecord?
    {
        try await transaction.query(
            """
            UPDATE forge_deliveries SET claimed_until = $1, claimed_by = $3, attempts = attempts + 1
            WHERE id = (SELECT id FROM forge_deliveries WHERE processed_at IS NULL AND (claimed_until IS NULL OR claimed_until < $2)
                        ORDER BY id LIMIT 1)
              AND processed_at IS NULL AND (claimed_until IS NULL OR claimed_until < $2)
            RETURNING *
            """,
            // SQLite numbers `$N` parameters in the order they first appear: they are written in order.
            [.text(until), .text(now), .text(holder)]
        ).first.map(record)
    }

    /// Lets go of what `holder` held when it stopped (a server restarted under the same name), so it is taken again at once.
    public static func release(_ transaction: any SQLExecutor, heldBy holder: String) async throws {
        try await transaction.query(
            "UPDATE forge_deliveries SET claimed_until = NULL WHERE claimed_by = $1 AND processed_at IS NULL AND last_error IS NULL",
            [.text(holder)])
    }

    /// A failed attempt: kept, and held until `retryAt`, when it is tried again.
    public static func markFailed(_ transaction: any SQLExecutor, id: Int64, error: String, retryAt: String) async throws {
        try await transaction.query(
            "UPDATE forge_deliveries SET claimed_until = $1, last_error = $2 WHERE id = $3", [.text(retryAt), .text(error), .integer(id)])
    }

    public static func markProcessed(_ transaction: any SQLExecutor, id: Int64, outcome: String, time: String) async throws {
        try await transaction.query(
            "UPDATE forge_deliveries SET processed_at = $1, outcome = $2 WHERE id = $3", [.text(time), .text(outcome), .integer(id)])
    }
}
