/// Versioned schema changes, applied in order when the server starts. A database whose version is newer
/// than this build knows is refused rather than misread.
public enum Migrations {
    struct Migration: Sendable {
        var version: Int
        var summary: String
        /// Statements per dialect; `{ID}` becomes the dialect's auto-increment primary key.
        var statements: @Sendable (SQLDialect) -> [String]
    }

    static let all: [Migration] = [
        Migration(version: 1, summary: "identities, changes, reviews, freezes, switches, audit log") { dialect in
            [
                """
                CREATE TABLE identities (
                  id {ID}, name TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, role TEXT NOT NULL,
                  groups_json TEXT NOT NULL, emails_json TEXT NOT NULL, token_hash TEXT NOT NULL UNIQUE,
                  created_at TEXT NOT NULL, revoked_at TEXT)
                """,
                """
                CREATE TABLE changes (
                  id {ID}, repository TEXT NOT NULL, branch TEXT NOT NULL, head TEXT NOT NULL, base TEXT,
                  submitted_by TEXT NOT NULL, decision TEXT NOT NULL, state TEXT NOT NULL, services_json TEXT NOT NULL,
                  provenance TEXT NOT NULL, gate_json TEXT NOT NULL, report_json TEXT NOT NULL,
                  created_at TEXT NOT NULL, updated_at TEXT NOT NULL, UNIQUE (repository, branch))
                """,
                """
                CREATE TABLE reviews (
                  id {ID}, change_id BIGINT NOT NULL REFERENCES changes(id), reviewer TEXT NOT NULL,
                  verdict TEXT NOT NULL, is_override INTEGER NOT NULL, head TEXT NOT NULL, comment TEXT,
                  created_at TEXT NOT NULL, dismissed_at TEXT)
                """,
                "CREATE INDEX reviews_change ON reviews (change_id)",
                """
                CREATE TABLE freezes (
                  id {ID}, name TEXT NOT NULL, from_time TEXT, until_time TEXT NOT NULL, reason TEXT NOT NULL,
                  services_json TEXT NOT NULL, condition TEXT, override_json TEXT NOT NULL, created_by TEXT NOT NULL,
                  created_at TEXT NOT NULL, lifted_at TEXT, lifted_by TEXT)
                """,
                """
                CREATE TABLE switches (
                  name TEXT PRIMARY KEY, enabled INTEGER NOT NULL, reason TEXT, updated_by TEXT NOT NULL, updated_at TEXT NOT NULL)
                """,
                """
                CREATE TABLE audit_events (
                  sequence BIGINT PRIMARY KEY, time TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
                  subject TEXT NOT NULL, payload TEXT NOT NULL, previous_hash TEXT NOT NULL, hash TEXT NOT NULL)
                """,
                "CREATE INDEX audit_events_actor ON audit_events (actor)",
                "CREATE INDEX audit_events_action ON audit_events (action)",
                "CREATE INDEX audit_events_subject ON audit_events (subject)",
                """
                CREATE TABLE audit_checkpoints (
                  sequence BIGINT PRIMARY KEY, hash TEXT NOT NULL, time TEXT NOT NULL, key_id TEXT NOT NULL, signature TEXT NOT NULL)
                """,
            ] + appendOnly(dialect, table: "audit_events", function: "blastwall_audit_append_only", what: "audit events")
        },
        Migration(version: 2, summary: "rollouts, their analysis ticks and pushed observations, percentage flags") { _ in
            [
                """
                CREATE TABLE rollouts (
                  id {ID}, service TEXT NOT NULL, version TEXT NOT NULL, stable_version TEXT NOT NULL, artifact TEXT NOT NULL,
                  change_id BIGINT, drill INTEGER NOT NULL, phase TEXT NOT NULL, spec_json TEXT NOT NULL, state_json TEXT NOT NULL,
                  analyzer_json TEXT NOT NULL, last_result_json TEXT, created_by TEXT NOT NULL, created_at TEXT NOT NULL,
                  updated_at TEXT NOT NULL)
                """,
                "CREATE INDEX rollouts_service ON rollouts (service, id)",
                "CREATE INDEX rollouts_phase ON rollouts (phase)",
                """
                CREATE TABLE rollout_ticks (
                  rollout_id BIGINT NOT NULL REFERENCES rollouts(id), tick BIGINT NOT NULL, time TEXT NOT NULL, step INTEGER NOT NULL,
                  canary_weight INTEGER NOT NULL, verdict TEXT NOT NULL, reason TEXT NOT NULL, evidence_json TEXT NOT NULL,
                  PRIMARY KEY (rollout_id, tick))
                """,
                """
                CREATE TABLE rollout_observations (
                  rollout_id BIGINT PRIMARY KEY REFERENCES rollouts(id), canary_json TEXT NOT NULL, baseline_json TEXT NOT NULL,
                  updated_at TEXT NOT NULL)
                """,
                """
                CREATE TABLE flags (
                  name TEXT PRIMARY KEY, percentage INTEGER NOT NULL, updated_by TEXT NOT NULL, updated_at TEXT NOT NULL)
                """,
            ]
        },
        Migration(version: 3, summary: "the rollout leader's epoch, which fences a former leader's writes") { _ in
            ["CREATE TABLE rollout_leadership (id INTEGER PRIMARY KEY, epoch BIGINT NOT NULL, holder TEXT NOT NULL, since TEXT NOT NULL)"]
        },
        Migration(version: 4, summary: "signed audit checkpoints are append-only, like the events they sign") { dialect in
            appendOnly(dialect, table: "audit_checkpoints", function: "blastwall_checkpoints_append_only", what: "audit checkpoints")
        },
        Migration(version: 5, summary: "who analysed each change (the server, or a ci identity's signed report), and ci signing keys") {
            _ in
            [
                // Changes stored before the server analysed ranges itself took the client's word: 'client'.
                "ALTER TABLE changes ADD COLUMN analysed_by TEXT NOT NULL DEFAULT 'client'",
                "ALTER TABLE changes ADD COLUMN attested_by TEXT",
                "ALTER TABLE identities ADD COLUMN attestation_key TEXT",
            ]
        },
        Migration(version: 6, summary: "agents' operation requests, their reviews and single-use grants") { _ in
            [
                """
                CREATE TABLE operations (
                  id {ID}, agent TEXT NOT NULL, model TEXT, session TEXT, operator TEXT, command TEXT NOT NULL,
                  command_hash TEXT NOT NULL, directory TEXT NOT NULL, environment TEXT NOT NULL, state TEXT NOT NULL,
                  decision_json TEXT NOT NULL, requirements_json TEXT NOT NULL, owners_json TEXT NOT NULL,
                  created_at TEXT NOT NULL, updated_at TEXT NOT NULL, granted_at TEXT, expires_at TEXT, used_at TEXT)
                """,
                "CREATE INDEX operations_hash ON operations (command_hash, state)",
                "CREATE INDEX operations_state ON operations (state, id)",
                """
                CREATE TABLE operation_reviews (
                  id {ID}, operation_id BIGINT NOT NULL REFERENCES operations(id), reviewer TEXT NOT NULL,
                  verdict TEXT NOT NULL, comment TEXT, created_at TEXT NOT NULL)
                """,
                "CREATE INDEX operation_reviews_operation ON operation_reviews (operation_id)",
            ]
        },
        Migration(version: 7, summary: "forge webhook deliveries, kept until applied: the durable queue behind the 2xx") { _ in
            [
                """
                CREATE TABLE forge_deliveries (
                  id {ID}, forge TEXT NOT NULL, delivery_id TEXT NOT NULL, event TEXT NOT NULL, body TEXT NOT NULL,
                  received_at TEXT NOT NULL, processed_at TEXT, outcome TEXT, UNIQUE (forge, delivery_id))
                """,
                "CREATE INDEX forge_deliveries_pending ON forge_deliveries (processed_at, id)",
            ]
        },
        Migration(version: 8, summary: "pull requests linked to changes, forge logins of identities, reviews given on a forge") { _ in
            [
                """
                CREATE TABLE pull_requests (
                  id {ID}, forge TEXT NOT NULL, repository TEXT NOT NULL, number BIGINT NOT NULL, head_branch TEXT NOT NULL,
                  head TEXT NOT NULL, base_branch TEXT NOT NULL, author TEXT NOT NULL, state TEXT NOT NULL, change_id BIGINT,
                  analysed_head TEXT, summary TEXT, annotations_json TEXT NOT NULL DEFAULT '[]', reported_json TEXT,
                  labels_json TEXT NOT NULL DEFAULT '[]', dismissed_json TEXT NOT NULL DEFAULT '[]',
                  created_at TEXT NOT NULL, updated_at TEXT NOT NULL, UNIQUE (forge, repository, number))
                """,
                "CREATE INDEX pull_requests_state ON pull_requests (state, id)",
                "CREATE INDEX pull_requests_change ON pull_requests (change_id)",
                "ALTER TABLE identities ADD COLUMN forge_logins_json TEXT NOT NULL DEFAULT '{}'",
                // A review given on a forge: where it came from (forge, login, review id) and the groups its
                // reviewer belonged to through forge teams when it was counted.
                "ALTER TABLE reviews ADD COLUMN source TEXT",
                "ALTER TABLE reviews ADD COLUMN groups_json TEXT",
                // A worker claims a delivery until a time, so that several servers never apply one twice at once.
                "ALTER TABLE forge_deliveries ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0",
                "ALTER TABLE forge_deliveries ADD COLUMN claimed_until TEXT",
                "ALTER TABLE forge_deliveries ADD COLUMN claimed_by TEXT",
                "ALTER TABLE forge_deliveries ADD COLUMN last_error TEXT",
            ]
        },
        Migration(version: 9, summary: "incidents, from alerts or declared, with their suspects; audit events found by time") { _ in
            [
                """
                CREATE TABLE incidents (
                  id {ID}, group_key TEXT, source TEXT NOT NULL, service TEXT, title TEXT NOT NULL, severity TEXT,
                  state TEXT NOT NULL, started_at TEXT NOT NULL, detected_at TEXT NOT NULL, resolved_at TEXT,
                  alerts_json TEXT NOT NULL, suspects_json TEXT NOT NULL, confirmed_cause TEXT, opened_by TEXT NOT NULL,
                  created_at TEXT NOT NULL, updated_at TEXT NOT NULL)
                """,
                "CREATE INDEX incidents_group ON incidents (group_key, state)",
                "CREATE INDEX incidents_state ON incidents (state, id)",
                // Suspects are read from the record of the hours before an incident.
                "CREATE INDEX audit_events_time ON audit_events (time)",
                "CREATE INDEX rollouts_updated ON rollouts (updated_at)",
                "CREATE INDEX rollouts_created ON rollouts (created_at)",
            ]
        },
        Migration(
            version: 10, summary: "rollouts' times, changes' first commit, risk and classes as columns, so DORA and suspects read numbers"
        ) {
            dialect in
            let rolloutTimes = ["started_at", "step_started_at", "finished_at", "detected_at", "recovered_at"]
            let stateKeys = ["startedAt", "stepStartedAt", "finishedAt", "detectedAt", "recoveredAt", "canaryWeight"]
            let columns = rolloutTimes + ["canary_weight"]
            let fromState: (String) -> String =
                dialect == .sqlite
                ? { "json_extract(state_json, '$.\($0)')" } : { "(state_json::jsonb ->> '\($0)')::double precision" }
            let firstCommit =
                dialect == .sqlite
                ? """
                (SELECT MIN((julianday(json_extract(value, '$.authored_at')) - 2440587.5) * 86400.0)
                 FROM json_each(report_json, '$.commits'))
                """
                : """
                (SELECT MIN(EXTRACT(EPOCH FROM (commit ->> 'authored_at')::timestamptz)) FROM jsonb_array_elements(
                  CASE WHEN jsonb_typeof(report_json::jsonb -> 'commits') = 'array' THEN report_json::jsonb -> 'commits'
                  ELSE '[]'::jsonb END) AS commit)
                """
            let riskAssignments =
                dialect == .sqlite
                ? """
                risk_score = json_extract(report_json, '$.risk.score'), risk_level = json_extract(report_json, '$.risk.level'),
                classes_json = COALESCE(json_extract(report_json, '$.classes'), '[]')
                """
                : """
                risk_score = CASE WHEN jsonb_typeof(report_json::jsonb #> '{risk,score}') = 'number'
                  THEN (report_json::jsonb #>> '{risk,score}')::numeric::integer END,
                risk_level = report_json::jsonb #>> '{risk,level}',
                classes_json = CASE WHEN jsonb_typeof(report_json::jsonb -> 'classes') = 'array'
                  THEN (report_json::jsonb -> 'classes')::text ELSE '[]' END
                """
            let canaryWeight =
                dialect == .sqlite
                ? "COALESCE(\(fromState("canaryWeight")), 0)" : "COALESCE((state_json::jsonb ->> 'canaryWeight')::integer, 0)"
            let assignments = zip(columns, stateKeys).map { column, key in
                "\(column) = \(column == "canary_weight" ? canaryWeight : fromState(key))"
            }
            return rolloutTimes.map { "ALTER TABLE rollouts ADD COLUMN \($0) DOUBLE PRECISION" } + [
                "ALTER TABLE rollouts ADD COLUMN canary_weight INTEGER NOT NULL DEFAULT 0",
                "UPDATE rollouts SET \(assignments.joined(separator: ", "))",
                "CREATE INDEX rollouts_finished ON rollouts (finished_at)",
                "ALTER TABLE changes ADD COLUMN first_commit_at DOUBLE PRECISION",
                "ALTER TABLE changes ADD COLUMN risk_score INTEGER",
                "ALTER TABLE changes ADD COLUMN risk_level TEXT",
                "ALTER TABLE changes ADD COLUMN classes_json TEXT NOT NULL DEFAULT '[]'",
                "UPDATE changes SET first_commit_at = \(firstCommit), \(riskAssignments)",
                "CREATE INDEX changes_updated ON changes (updated_at)",
                "CREATE INDEX rollouts_change ON rollouts (change_id)",
            ]
        },
        Migration(version: 11, summary: "dashboard sessions: a signed-in identity's cookie, by its hash, with its CSRF token") { _ in
            [
                """
                CREATE TABLE ui_sessions (
                  id_hash TEXT PRIMARY KEY, identity TEXT NOT NULL, csrf TEXT NOT NULL, created_at TEXT NOT NULL,
                  last_seen_at TEXT NOT NULL, expires_at TEXT NOT NULL, ended_at TEXT)
                """,
                "CREATE INDEX ui_sessions_identity ON ui_sessions (identity)",
            ]
        },
    ]

    /// The newest schema version this build knows.
    public static var latestVersion: Int { all.map(\.version).max() ?? 0 }

    /// Refuses updates and deletes of a table's rows in the database itself, whatever the client.
    static func appendOnly(_ dialect: SQLDialect, table: String, function: String, what: String) -> [String] {
        switch dialect {
        case .sqlite:
            return ["UPDATE", "DELETE"].map { operation in
                "CREATE TRIGGER \(table)_no_\(operation.lowercased()) BEFORE \(operation) ON \(table) "
                    + "BEGIN SELECT RAISE(ABORT, '\(what) are append-only'); END"
            }
        case .postgres:
            return [
                """
                CREATE FUNCTION \(function)() RETURNS trigger AS $$
                BEGIN RAISE EXCEPTION '\(what) are append-only'; END $$ LANGUAGE plpgsql
                """,
                """
                CREATE TRIGGER \(table)_append_only BEFORE UPDATE OR DELETE ON \(table)
                FOR EACH ROW EXECUTE FUNCTION \(function)()
                """,
            ]
        }
    }

    static func expand(_ statement: String, for dialect: SQLDialect) -> String {
        let identity = dialect == .sqlite ? "INTEGER PRIMARY KEY" : "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"
        return statement.replacing("{ID}", with: identity)
    }

    /// Brings the database to the latest schema (or to `target`, for upgrade tests); returns the versions applied.
    @discardableResult
    public static func apply(to database: any SQLDatabase, now: String, upTo target: Int = latestVersion) async throws -> [Int] {
        try await database.query(
            "CREATE TABLE IF NOT EXISTS blastwall_schema (version INTEGER PRIMARY KEY, summary TEXT NOT NULL, applied_at TEXT NOT NULL)")
        let current =
            try await database.query("SELECT MAX(version) AS version FROM blastwall_schema").first?.optionalInteger("version") ?? 0
        guard current <= latestVersion else { throw StorageError.newerSchema(found: Int(current), supported: latestVersion) }
        var applied: [Int] = []
        for migration in all where migration.version > current && migration.version <= target {
            try await database.transaction { transaction in
                for statement in migration.statements(transaction.dialect) {
                    try await transaction.query(expand(statement, for: transaction.dialect))
                }
                try await transaction.query(
                    "INSERT INTO blastwall_schema (version, summary, applied_at) VALUES ($1, $2, $3)",
                    [.integer(Int64(migration.version)), .text(migration.summary), .text(now)])
            }
            applied.append(migration.version)
        }
        return applied
    }
}
