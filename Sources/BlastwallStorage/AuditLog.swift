import BlastwallAudit
import BlastwallCore
import Foundation

/// The audit log in the database: appends inside the transaction of the change they record, reads in
/// pages, verification in one streaming pass.
public enum AuditLog {
    /// Notified by appends that other servers must take in (and by flag changes), so servers sharing the
    /// database follow each other's writes at once.
    public static let appendedChannel = "blastwall_audit_appended"

    /// Appends one event in `transaction`. Appenders are serialised (SQLite's write lock; an advisory lock
    /// on PostgreSQL) so the chain never forks, even with several servers. `notifyingOthers: false` for
    /// events that change nothing other servers keep in memory (rollout steps, custom events): a
    /// notification costs every append under load.
    @discardableResult
    public static func append(
        _ transaction: any SQLExecutor, time: String, actor: String, action: String, subject: String, payload: JSONValue,
        notifyingOthers: Bool = true
    ) async throws -> AuditEvent {
        if transaction.dialect == .postgres {
            try await transaction.query("SELECT pg_advisory_xact_lock(72616)")
        }
        let head = try await transaction.query("SELECT sequence, hash FROM audit_events ORDER BY sequence DESC LIMIT 1").first
        let previous = try head.map { (sequence: try $0.integer("sequence"), hash: try $0.text("hash")) }
        let event = AuditChain.makeEvent(after: previous, time: time, actor: actor, action: action, subject: subject, payload: payload)
        try await transaction.query(
            """
            INSERT INTO audit_events (sequence, time, actor, action, subject, payload, previous_hash, hash)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            """,
            [
                .integer(event.sequence), .text(event.time), .text(event.actor), .text(event.action), .text(event.subject),
                .text(event.payload.serialized(pretty: false)), .text(event.previousHash), .text(event.hash),
            ])
        if notifyingOthers { try await transaction.notify(appendedChannel) }
        return event
    }

    static func event(from row: SQLRow) throws -> AuditEvent {
        let payloadText = try row.text("payload")
        let payload: JSONValue
        do {
            payload = try JSONParser.parse(payloadText)
        } catch {
            throw StorageError.corrupt("audit event \(try row.integer("sequence")) has a payload that is not JSON")
        }
        return AuditEvent(
            sequence: try row.integer("sequence"), time: try row.text("time"), actor: try row.text("actor"),
            action: try row.text("action"), subject: try row.text("subject"), payload: payload,
            previousHash: try row.text("previous_hash"), hash: try row.text("hash"))
    }

    /// Events with sequence greater than `after`, in order, at most `limit`.
    public static func events(_ database: any SQLExecutor, after: Int64, limit: Int) async throws -> [AuditEvent] {
        try await database.query(
            "SELECT * FROM audit_events WHERE sequence > $1 ORDER BY sequence LIMIT $2", [.integer(after), .integer(Int64(limit))]
        ).map(event(from:))
    }

    /// The distinct actions of the events after `after` up to `through`.
    public static func actions(_ database: any SQLExecutor, after: Int64, through: Int64) async throws -> Set<String> {
        let rows = try await database.query(
            "SELECT DISTINCT action FROM audit_events WHERE sequence > $1 AND sequence <= $2", [.integer(after), .integer(through)])
        return Set(try rows.map { try $0.text("action") })
    }

    /// A filter for `audit search`.
    public struct Filter: Sendable {
        public var actor: String?
        public var action: String?
        /// Matches the subject exactly, or any subject that starts with it followed by `/`.
        public var subject: String?
        /// Matches events whose payload names this service.
        public var service: String?
        public var provenance: String?
        public var since: String?
        public var until: String?
        /// Only the subject itself, not those under it: an index lookup, where a prefix is a scan.
        public var exactSubject: Bool

        public init(
            actor: String? = nil, action: String? = nil, subject: String? = nil, service: String? = nil, provenance: String? = nil,
            since: String? = nil, until: String? = nil, exactSubject: Bool = false
        ) {
            self.exactSubject = exactSubject
            self.actor = actor
            self.action = action
            self.subject = subject
            self.service = service
            self.provenance = provenance
            self.since = since
            self.until = until
        }
    }

    /// Events matching `filter`, newest first, one page at a time (`before`: the sequence to continue below).
    public static func search(_ database: any SQLExecutor, _ filter: Filter, before: Int64?, limit: Int) async throws -> [AuditEvent] {
        var clauses: [String] = []
        var binds: [SQLValue] = []
        func add(_ clause: String, _ value: SQLValue) {
            binds.append(value)
            clauses.append(clause.replacing("?", with: "$\(binds.count)"))
        }
        if let actor = filter.actor { add("actor = ?", .text(actor)) }
        if let action = filter.action { add("action = ?", .text(action)) }
        if let subject = filter.subject, filter.exactSubject {
            add("subject = ?", .text(subject))
        } else if let subject = filter.subject {
            add("(subject = ?", .text(subject))
            add("subject LIKE ?)", .text(subject + "/%"))
            clauses[clauses.count - 2] += " OR " + clauses.removeLast()
        }
        if let service = filter.service { add("payload LIKE ?", .text("%\"\(service)\"%")) }
        if let provenance = filter.provenance { add("payload LIKE ?", .text("%\"provenance\":\"\(provenance)\"%")) }
        if let since = filter.since { add("time >= ?", .text(since)) }
        if let until = filter.until { add("time < ?", .text(until)) }
        if let before { add("sequence < ?", .integer(before)) }
        let whereClause = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
        binds.append(.integer(Int64(limit)))
        return try await database.query(
            "SELECT * FROM audit_events \(whereClause) ORDER BY sequence DESC LIMIT $\(binds.count)", binds
        ).map(event(from:))
    }

    public static func checkpoints(_ database: any SQLExecutor) async throws -> [Checkpoint] {
        try await database.query("SELECT * FROM audit_checkpoints ORDER BY sequence").map { row in
            Checkpoint(
                sequence: try row.integer("sequence"), hash: try row.text("hash"), time: try row.text("time"),
                keyID: try row.text("key_id"), signature: try row.text("signature"))
        }
    }

    /// Signs the log's current head and stores the checkpoint; nil when the log is empty.
    @discardableResult
    public static func checkpoint(_ database: any SQLDatabase, key: SigningKey, time: String) async throws -> Checkpoint? {
        try await database.transaction { transaction in
            guard let row = try await transaction.query("SELECT * FROM audit_events ORDER BY sequence DESC LIMIT 1").first else {
                return nil
            }
            let checkpoint = try Checkpoint.sign(try event(from: row), time: time, key: key)
            try await transaction.query(
                "INSERT INTO audit_checkpoints (sequence, hash, time, key_id, signature) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (sequence) DO NOTHING",
                [
                    .integer(checkpoint.sequence), .text(checkpoint.hash), .text(checkpoint.time), .text(checkpoint.keyID),
                    .text(checkpoint.signature),
                ])
            return checkpoint
        }
    }

    /// Recomputes the whole chain in pages and checks every checkpoint. The next page is read while the
    /// current one is hashed, and hashing is spread over the cores; the links are checked in order.
    public static func verify(
        _ database: any SQLExecutor, key: VerificationKey?, expected: [ExpectedHead] = [], pageSize: Int = 20_000
    ) async throws -> LogVerification {
        var verifier = AuditChain.Verifier()
        let checkpoints = try await checkpoints(database)
        var checkpointHashes: [Int64: String] = [:]
        let wanted = LogVerification.sequencesToKeep(checkpoints: checkpoints, expected: expected)
        var page = try await rowPage(database, after: 0, limit: pageSize)
        while let lastRow = page.last {
            async let next = rowPage(database, after: try lastRow.integer("sequence"), limit: pageSize)
            for (event, hash) in try await decodedAndHashed(page) {
                if let mismatch = verifier.check(event, recomputedHash: hash) {
                    _ = try? await next
                    return LogVerification(
                        events: verifier.count, checkpoints: 0, lastHash: verifier.lastHash, problem: mismatch.description)
                }
                if wanted.contains(event.sequence) { checkpointHashes[event.sequence] = event.hash }
            }
            page = try await next
        }
        return LogVerification.finish(verifier, checkpoints: checkpoints, hashes: checkpointHashes, key: key, expected: expected)
    }

    private static func rowPage(_ database: any SQLExecutor, after: Int64, limit: Int) async throws -> [SQLRow] {
        try await database.query(
            "SELECT * FROM audit_events WHERE sequence > $1 ORDER BY sequence LIMIT $2", [.integer(after), .integer(Int64(limit))])
    }

    /// Each row decoded and its event's hash recomputed from its content, in order, one slice per core.
    private static func decodedAndHashed(_ rows: [SQLRow]) async throws -> [(AuditEvent, String)] {
        let slices = max(1, min(ProcessInfo.processInfo.activeProcessorCount, rows.count / 1_000))
        let size = (rows.count + slices - 1) / slices
        return try await withThrowingTaskGroup(of: (Int, [(AuditEvent, String)]).self) { group in
            for slice in 0..<slices {
                let range = (slice * size)..<min(rows.count, (slice + 1) * size)
                group.addTask {
                    (
                        slice,
                        try rows[range].map { row in
                            let event = try event(from: row)
                            return (event, AuditChain.hash(of: event))
                        }
                    )
                }
            }
            var parts = [[(AuditEvent, String)]](repeating: [], count: slices)
            for try await (slice, decoded) in group { parts[slice] = decoded }
            return parts.flatMap { $0 }
        }
    }
}
