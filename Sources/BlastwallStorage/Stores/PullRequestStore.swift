import BlastwallCore

/// A pull (merge) request the server follows: the change it is, and what it last showed on the forge.
public struct PullRequestRecord: Sendable, Equatable {
    public var id: Int64
    public var forge: String
    public var repository: String
    public var number: Int
    public var headBranch: String
    public var head: String
    public var baseBranch: String
    public var author: String
    /// `open` or `closed`.
    public var state: String
    public var changeID: Int64?
    /// The head the server last analysed; the gate reads pending while it differs from `head`.
    public var analysedHead: String?
    /// The analysis as Markdown, shown under the gate on the forge.
    public var summary: String?
    public var annotations: [JSONValue]
    /// What was last reported (conclusion, title, description, summary, head), so that only changes are sent.
    public var reported: String?
    /// Labels this server added, and only these are ever removed.
    public var labels: [String]
    /// Review ids dismissed as stale, so that each is dismissed once.
    public var dismissed: [String]
    public var createdAt: String
    public var updatedAt: String

    public var isOpen: Bool { state == "open" }

    /// A pull request seen for the first time: open, not yet analysed or reported on.
    public init(
        forge: String, repository: String, number: Int, headBranch: String, head: String, baseBranch: String, author: String,
        time: String
    ) {
        self.init(
            id: 0, forge: forge, repository: repository, number: number, headBranch: headBranch, head: head, baseBranch: baseBranch,
            author: author, state: "open", changeID: nil, analysedHead: nil, summary: nil, annotations: [], reported: nil, labels: [],
            dismissed: [], createdAt: time, updatedAt: time)
    }

    init(
        id: Int64, forge: String, repository: String, number: Int, headBranch: String, head: String, baseBranch: String,
        author: String, state: String, changeID: Int64?, analysedHead: String?, summary: String?, annotations: [JSONValue],
        reported: String?, labels: [String], dismissed: [String], createdAt: String, updatedAt: String
    ) {
        self.id = id
        self.forge = forge
        self.repository = repository
        self.number = number
        self.headBranch = headBranch
        self.head = head
        self.baseBranch = baseBranch
        self.author = author
        self.state = state
        self.changeID = changeID
        self.analysedHead = analysedHead
        self.summary = summary
        self.annotations = annotations
        self.reported = reported
        self.labels = labels
        self.dismissed = dismissed
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

public enum PullRequestStore {
    static func record(_ row: SQLRow) throws -> PullRequestRecord {
        let annotations = try JSONParser.parse(try row.text("annotations_json")).arrayValue ?? []
        return PullRequestRecord(
            id: try row.integer("id"), forge: try row.text("forge"), repository: try row.text("repository"),
            number: Int(try row.integer("number")), headBranch: try row.text("head_branch"), head: try row.text("head"),
            baseBranch: try row.text("base_branch"), author: try row.text("author"), state: try row.text("state"),
            changeID: try row.optionalInteger("change_id"), analysedHead: try row.optionalText("analysed_head"),
            summary: try row.optionalText("summary"), annotations: annotations, reported: try row.optionalText("reported_json"),
            labels: try IdentityStore.decodeStrings(try row.text("labels_json")),
            dismissed: try IdentityStore.decodeStrings(try row.text("dismissed_json")), createdAt: try row.text("created_at"),
            updatedAt: try row.text("updated_at"))
    }

    public static func find(_ database: any SQLExecutor, forge: String, repository: String, number: Int) async throws
        -> PullRequestRecord?
    {
        try await database.query(
            "SELECT * FROM pull_requests WHERE forge = $1 AND repository = $2 AND number = $3",
            [.text(forge), .text(repository), .integer(Int64(number))]
        ).first.map(record)
    }

    /// The pull requests of a change.
    public static func linked(_ database: any SQLExecutor, changeID: Int64) async throws -> [PullRequestRecord] {
        try await database.query("SELECT * FROM pull_requests WHERE change_id = $1 ORDER BY id", [.integer(changeID)]).map(record)
    }

    /// Open pull requests after `after`, by id: what reconciliation walks.
    public static func open(_ database: any SQLExecutor, after: Int64, limit: Int) async throws -> [PullRequestRecord] {
        try await database.query(
            "SELECT * FROM pull_requests WHERE state = 'open' AND id > $1 ORDER BY id LIMIT $2", [.integer(after), .integer(Int64(limit))]
        ).map(record)
    }

    /// Creates or updates the row of (forge, repository, number), as given.
    public static func save(_ transaction: any SQLExecutor, _ pull: PullRequestRecord, time: String) async throws -> PullRequestRecord {
        let values: [SQLValue] = [
            .text(pull.forge), .text(pull.repository), .integer(Int64(pull.number)), .text(pull.headBranch), .text(pull.head),
            .text(pull.baseBranch), .text(pull.author), .text(pull.state), pull.changeID.map(SQLValue.integer) ?? .null,
            pull.analysedHead.map(SQLValue.text) ?? .null, pull.summary.map(SQLValue.text) ?? .null,
            .text(JSONValue.array(pull.annotations).serialized(pretty: false)), pull.reported.map(SQLValue.text) ?? .null,
            .text(IdentityStore.strings(pull.labels)), .text(IdentityStore.strings(pull.dismissed)), .text(time),
        ]
        let rows = try await transaction.query(
            """
            INSERT INTO pull_requests (forge, repository, number, head_branch, head, base_branch, author, state, change_id,
              analysed_head, summary, annotations_json, reported_json, labels_json, dismissed_json, created_at, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16)
            ON CONFLICT (forge, repository, number) DO UPDATE SET head_branch = $4, head = $5, base_branch = $6, author = $7,
              state = $8, change_id = $9, analysed_head = $10, summary = $11, annotations_json = $12, reported_json = $13,
              labels_json = $14, dismissed_json = $15, updated_at = $16
            RETURNING *
            """, values)
        guard let row = rows.first else { throw StorageError.corrupt("the pull request was not returned") }
        return try record(row)
    }
}
