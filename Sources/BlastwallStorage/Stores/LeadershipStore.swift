/// The rollout leader's epoch. A server that wins the lease raises it before it runs any rollout, and every
/// write of its rollouts checks it, so a former leader that lost the lease without noticing cannot write.
public enum LeadershipStore {
    /// Raises the epoch for `holder` and returns it. On PostgreSQL this waits for writes that checked the
    /// previous epoch (they hold its row shared) to finish, so the new leader reads them.
    public static func claim(_ database: any SQLDatabase, holder: String, time: String) async throws -> Int64 {
        try await database.transaction { transaction in
            let raised = try await transaction.query(
                "UPDATE rollout_leadership SET epoch = epoch + 1, holder = $1, since = $2 WHERE id = 1 RETURNING epoch",
                [.text(holder), .text(time)])
            if let row = raised.first { return try row.integer("epoch") }
            try await transaction.query(
                "INSERT INTO rollout_leadership (id, epoch, holder, since) VALUES (1, 1, $1, $2)", [.text(holder), .text(time)])
            return 1
        }
    }

    /// The epoch of the latest leader; nil before any.
    public static func current(_ database: any SQLExecutor) async throws -> Int64? {
        try await database.query("SELECT epoch FROM rollout_leadership WHERE id = 1").first?.integer("epoch")
    }

    /// Throws `LeadershipLost` unless `epoch` is still current. On PostgreSQL the row stays locked (shared)
    /// until the transaction ends, so no new leader can claim between this check and the commit.
    public static func require(_ transaction: any SQLExecutor, epoch: Int64) async throws {
        let lock = transaction.dialect == .postgres ? " FOR SHARE" : ""
        let current = try await transaction.query("SELECT epoch, holder FROM rollout_leadership WHERE id = 1" + lock).first
        guard let current, try current.integer("epoch") == epoch else {
            throw LeadershipLost(epoch: epoch, holder: try current?.text("holder"))
        }
    }
}

/// A write of a former rollout leader, refused: another server has led since.
public struct LeadershipLost: Error, Sendable, CustomStringConvertible {
    public var epoch: Int64
    public var holder: String?

    public var description: String {
        "this server led rollouts in epoch \(epoch), but \(holder ?? "another server") has led them since"
    }
}
