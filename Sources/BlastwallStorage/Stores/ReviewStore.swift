/// A recorded approval or rejection of one head of a change.
public struct ReviewRecord: Sendable, Equatable {
    public var id: Int64
    public var changeID: Int64
    public var reviewer: String
    public var verdict: String
    public var isOverride: Bool
    public var head: String
    public var comment: String?
    public var createdAt: String
    public var dismissedAt: String?
    /// Where a review given on a forge came from (`github:dana-gh#123`); nil for reviews given through Blastwall.
    public var source: String? = nil
    /// Groups its reviewer belonged to through forge teams when it was counted.
    public var groups: [String] = []

    public init(
        id: Int64, changeID: Int64, reviewer: String, verdict: String, isOverride: Bool, head: String, comment: String?,
        createdAt: String, dismissedAt: String?, source: String? = nil, groups: [String] = []
    ) {
        self.id = id
        self.changeID = changeID
        self.reviewer = reviewer
        self.verdict = verdict
        self.isOverride = isOverride
        self.head = head
        self.comment = comment
        self.createdAt = createdAt
        self.dismissedAt = dismissedAt
        self.source = source
        self.groups = groups
    }
}

/// Reviews in the database. Dismissed reviews stay, marked, for the record.
public enum ReviewStore {
    static func record(_ row: SQLRow) throws -> ReviewRecord {
        ReviewRecord(
            id: try row.integer("id"), changeID: try row.integer("change_id"), reviewer: try row.text("reviewer"),
            verdict: try row.text("verdict"), isOverride: try row.integer("is_override") != 0, head: try row.text("head"),
            comment: try row.optionalText("comment"), createdAt: try row.text("created_at"),
            dismissedAt: try row.optionalText("dismissed_at"), source: try row.optionalText("source"),
            groups: try row.optionalText("groups_json").map(IdentityStore.decodeStrings) ?? [])
    }

    public static func insert(
        _ transaction: any SQLExecutor, changeID: Int64, reviewer: String, verdict: String, isOverride: Bool, head: String,
        comment: String?, source: String? = nil, groups: [String] = [],
        time: String
    ) async throws -> ReviewRecord {
        let rows = try await transaction.query(
            """
            INSERT INTO reviews (change_id, reviewer, verdict, is_override, head, comment, created_at, source, groups_json)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *
            """,
            [
                .integer(changeID), .text(reviewer), .text(verdict), .integer(isOverride ? 1 : 0), .text(head),
                comment.map(SQLValue.text) ?? .null, .text(time), source.map(SQLValue.text) ?? .null,
                groups.isEmpty ? .null : .text(IdentityStore.strings(groups)),
            ])
        guard let row = rows.first else { throw StorageError.corrupt("the new review was not returned") }
        return try record(row)
    }

    /// Reviews not dismissed, oldest first.
    public static func active(_ database: any SQLExecutor, changeID: Int64) async throws -> [ReviewRecord] {
        try await database.query(
            "SELECT * FROM reviews WHERE change_id = $1 AND dismissed_at IS NULL ORDER BY id", [.integer(changeID)]
        ).map(record)
    }

    /// Reviews not dismissed of each of `changeIDs`, oldest first.
    public static func active(_ database: any SQLExecutor, changeIDs: [Int64]) async throws -> [Int64: [ReviewRecord]] {
        var reviews: [Int64: [ReviewRecord]] = [:]
        for list in idLists(changeIDs) {
            for row in try await database.query("SELECT * FROM reviews WHERE change_id IN (\(list)) AND dismissed_at IS NULL ORDER BY id") {
                let review = try record(row)
                reviews[review.changeID, default: []].append(review)
            }
        }
        return reviews
    }

    public static func all(_ database: any SQLExecutor, changeID: Int64) async throws -> [ReviewRecord] {
        try await database.query("SELECT * FROM reviews WHERE change_id = $1 ORDER BY id", [.integer(changeID)]).map(record)
    }

    public static func dismiss(_ transaction: any SQLExecutor, ids: [Int64], time: String) async throws {
        for id in ids {
            try await transaction.query("UPDATE reviews SET dismissed_at = $1 WHERE id = $2", [.text(time), .integer(id)])
        }
    }

    /// Binds kept reviews to the change's new head.
    public static func rebind(_ transaction: any SQLExecutor, ids: [Int64], head: String) async throws {
        for id in ids {
            try await transaction.query("UPDATE reviews SET head = $1 WHERE id = $2", [.text(head), .integer(id)])
        }
    }
}
