import BlastwallCore
import Foundation

/// A rollout as stored: its spec, the state machine's state, and the analysis so far.
public struct RolloutRecord: Sendable, Equatable {
    public var id: Int64
    public var spec: RolloutSpec
    public var changeID: Int64?
    /// A deliberately faulty canary run to rehearse rollback (`blastwall drill`).
    public var drill: Bool
    public var state: RolloutState
    public var analyzer: CanaryAnalyzer
    public var lastResult: AnalysisResult?
    public var createdBy: String
    public var createdAt: String
    public var updatedAt: String

    public init(
        id: Int64 = 0, spec: RolloutSpec, changeID: Int64?, drill: Bool, state: RolloutState = RolloutState(), analyzer: CanaryAnalyzer,
        lastResult: AnalysisResult? = nil, createdBy: String, createdAt: String, updatedAt: String
    ) {
        self.id = id
        self.spec = spec
        self.changeID = changeID
        self.drill = drill
        self.state = state
        self.analyzer = analyzer
        self.lastResult = lastResult
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// What many rollouts are read as at once: who, which version, its change, its router's kind and its state.
public struct RolloutSummary: Sendable {
    public var id: Int64
    public var service: String
    public var version: String
    public var stableVersion: String
    public var changeID: Int64?
    public var drill: Bool
    public var routerKind: String
    public var phase: RolloutPhase
    /// Times in seconds since the epoch, as the state machine keeps them.
    public var startedAt: Double?
    public var stepStartedAt: Double
    public var finishedAt: Double?
    public var detectedAt: Double?
    public var recoveredAt: Double?
    public var canaryWeight: Int
}

/// A finished rollout as DORA reads it, with its change's provenance and first commit (absent without a change).
public struct DeploymentSummary: Sendable {
    public var rolloutID: Int64
    public var service: String
    public var rolledBack: Bool
    /// Times in seconds since the epoch.
    public var startedAt: Double?
    public var finishedAt: Double
    public var detectedAt: Double?
    public var recoveredAt: Double?
    public var provenance: String?
    public var firstCommitAt: Double?
}

/// One analysis tick as stored and shown.
public struct RolloutTick: Sendable, Equatable {
    public var tick: Int64
    public var time: String
    public var step: Int
    public var canaryWeight: Int
    public var result: AnalysisResult

    public init(tick: Int64, time: String, step: Int, canaryWeight: Int, result: AnalysisResult) {
        self.tick = tick
        self.time = time
        self.step = step
        self.canaryWeight = canaryWeight
        self.result = result
    }
}

/// Rollouts, their ticks, and pushed observations in the database. State and analysis are stored as JSON
/// (Codable), so the controller resumes exactly where it stopped.
public enum RolloutStore {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // A ratio against a baseline without events is infinite; JSON has no infinity.
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }()

    static func encode(_ value: some Encodable) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func decode<Value: Decodable>(_ type: Value.Type, _ text: String, what: String) throws -> Value {
        do {
            return try decoder.decode(type, from: Data(text.utf8))
        } catch {
            throw StorageError.corrupt("a rollout's \(what) cannot be read: \(error)")
        }
    }

    static func record(_ row: SQLRow) throws -> RolloutRecord {
        let spec: RolloutSpec
        do {
            spec = try RolloutSpecParser.parse(try row.text("spec_json"), file: "stored rollout")
        } catch {
            throw StorageError.corrupt("a stored rollout's spec no longer parses: \(error)")
        }
        return RolloutRecord(
            id: try row.integer("id"), spec: spec, changeID: try row.optionalInteger("change_id"), drill: try row.integer("drill") != 0,
            state: try decode(RolloutState.self, try row.text("state_json"), what: "state"),
            analyzer: try decode(CanaryAnalyzer.self, try row.text("analyzer_json"), what: "analysis"),
            lastResult: try row.optionalText("last_result_json").map { try decode(AnalysisResult.self, $0, what: "last result") },
            createdBy: try row.text("created_by"), createdAt: try row.text("created_at"), updatedAt: try row.text("updated_at"))
    }

    /// Notified when a rollout is stored, so the leader starts one another server took in at once.
    public static let newRolloutChannel = "blastwall_new_rollout"

    public static func insert(_ transaction: any SQLExecutor, _ rollout: RolloutRecord) async throws -> RolloutRecord {
        let rows = try await transaction.query(
            """
            INSERT INTO rollouts (service, version, stable_version, artifact, change_id, drill, phase, spec_json, state_json,
              analyzer_json, last_result_json, created_by, created_at, updated_at, started_at, step_started_at, finished_at,
              detected_at, recovered_at, canary_weight)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, NULL, $11, $12, $13, $14, $15, $16, $17, $18, $19) RETURNING *
            """,
            [
                .text(rollout.spec.service), .text(rollout.spec.version), .text(rollout.spec.stableVersion), .text(rollout.spec.artifact),
                rollout.changeID.map(SQLValue.integer) ?? .null, .integer(rollout.drill ? 1 : 0), .text(rollout.state.phase.rawValue),
                .text(rollout.spec.json.serialized(pretty: false)), .text(try encode(rollout.state)), .text(try encode(rollout.analyzer)),
                .text(rollout.createdBy), .text(rollout.createdAt), .text(rollout.updatedAt),
            ] + timeColumns(rollout.state))
        guard let row = rows.first else { throw StorageError.corrupt("the new rollout was not returned") }
        try await transaction.notify(newRolloutChannel)
        return try record(row)
    }

    /// Saves the machine's state and the analysis after a transition.
    public static func save(
        _ transaction: any SQLExecutor, id: Int64, state: RolloutState, analyzer: CanaryAnalyzer, lastResult: AnalysisResult?, time: String
    ) async throws {
        try await transaction.query(
            """
            UPDATE rollouts SET phase = $1, state_json = $2, analyzer_json = $3, last_result_json = $4, updated_at = $5,
              started_at = $6, step_started_at = $7, finished_at = $8, detected_at = $9, recovered_at = $10, canary_weight = $11
            WHERE id = $12
            """,
            [
                .text(state.phase.rawValue), .text(try encode(state)), .text(try encode(analyzer)),
                try lastResult.map { .text(try encode($0)) } ?? .null, .text(time),
            ] + timeColumns(state) + [.integer(id)])
    }

    /// The state's times and weight, kept in columns beside its JSON so that incidents and DORA read many
    /// rollouts as numbers (`started_at`, `step_started_at`, `finished_at`, `detected_at`, `recovered_at`, `canary_weight`).
    static func timeColumns(_ state: RolloutState) -> [SQLValue] {
        let times: [Double?] = [state.startedAt, state.stepStartedAt, state.finishedAt, state.detectedAt, state.recoveredAt]
        return times.map { $0.map(SQLValue.real) ?? .null } + [.integer(Int64(state.canaryWeight))]
    }

    public static func find(_ database: any SQLExecutor, id: Int64) async throws -> RolloutRecord? {
        try await database.query("SELECT * FROM rollouts WHERE id = $1", [.integer(id)]).first.map(record)
    }

    /// Newest first; optionally one service's.
    public static func list(_ database: any SQLExecutor, service: String?, limit: Int) async throws -> [RolloutRecord] {
        if let service {
            return try await database.query(
                "SELECT * FROM rollouts WHERE service = $1 ORDER BY id DESC LIMIT $2", [.text(service), .integer(Int64(limit))]
            ).map(record)
        }
        return try await database.query("SELECT * FROM rollouts ORDER BY id DESC LIMIT $1", [.integer(Int64(limit))]).map(record)
    }

    /// Rollouts the controller must drive: not yet ended, or ended without the router confirming the final
    /// weight (a stop between the decision and the router call).
    /// Rollouts created between `createdSince` (default `since`) and `until` that changed at or after `since`
    /// (their last step, pause or end), as summaries: what incidents and DORA read of many rollouts, without
    /// parsing each one's spec and analysis.
    public static func touched(_ database: any SQLExecutor, since: String, until: String, createdSince: String? = nil) async throws
        -> [RolloutSummary]
    {
        try await database.query(
            """
            SELECT id, service, version, stable_version, change_id, drill, phase, started_at, step_started_at, finished_at,
              detected_at, recovered_at, canary_weight, CASE WHEN spec_json LIKE '%"router":{"type":"flags"%' THEN 'flags' ELSE 'traffic' END AS router_kind FROM rollouts
            WHERE created_at >= $3 AND created_at <= $2 AND updated_at >= $1 ORDER BY updated_at DESC
            """, [.text(since), .text(until), .text(createdSince ?? since)]
        ).map { row in
            RolloutSummary(
                id: try row.integer("id"), service: try row.text("service"), version: try row.text("version"),
                stableVersion: try row.text("stable_version"), changeID: try row.optionalInteger("change_id"),
                drill: try row.integer("drill") != 0, routerKind: try row.text("router_kind"), phase: try phase(row),
                startedAt: try row.optionalDouble("started_at"), stepStartedAt: try row.optionalDouble("step_started_at") ?? 0,
                finishedAt: try row.optionalDouble("finished_at"), detectedAt: try row.optionalDouble("detected_at"),
                recoveredAt: try row.optionalDouble("recovered_at"), canaryWeight: Int(try row.integer("canary_weight")))
        }
    }

    static func phase(_ row: SQLRow) throws -> RolloutPhase {
        guard let phase = RolloutPhase(rawValue: try row.text("phase")) else {
            throw StorageError.corrupt("rollout \(try row.integer("id")) has an unknown phase")
        }
        return phase
    }

    /// Deployments that ended at or after `since` (seconds since the epoch): rollouts promoted or rolled back,
    /// drills left out, with their change's provenance and first commit — all DORA reads, in one query.
    public static func deployments(_ database: any SQLExecutor, endedSince since: Double) async throws -> [DeploymentSummary] {
        try await database.query(
            """
            SELECT r.id, r.service, r.phase, r.started_at, r.finished_at, r.detected_at, r.recovered_at, c.provenance,
              c.first_commit_at FROM rollouts r LEFT JOIN changes c ON c.id = r.change_id
            WHERE r.finished_at >= $1 AND r.drill = 0 AND r.phase IN ($2, $3)
            """, [.real(since), .text(RolloutPhase.promoted.rawValue), .text(RolloutPhase.rolledBack.rawValue)]
        ).map { row in
            guard let finishedAt = try row.optionalDouble("finished_at") else { throw StorageError.corrupt("a deployment without an end") }
            return DeploymentSummary(
                rolloutID: try row.integer("id"), service: try row.text("service"), rolledBack: try phase(row) == .rolledBack,
                startedAt: try row.optionalDouble("started_at"), finishedAt: finishedAt, detectedAt: try row.optionalDouble("detected_at"),
                recoveredAt: try row.optionalDouble("recovered_at"), provenance: try row.optionalText("provenance"),
                firstCommitAt: try row.optionalDouble("first_commit_at"))
        }
    }

    /// How many ticks of each rollout ended inconclusive, for many rollouts at once (absent: none).
    public static func inconclusiveTicks(_ database: any SQLExecutor, rollouts ids: [Int64]) async throws -> [Int64: Int] {
        var counts: [Int64: Int] = [:]
        for list in idLists(ids) {
            for row in try await database.query(
                "SELECT rollout_id, COUNT(*) AS n FROM rollout_ticks WHERE verdict = 'inconclusive' AND rollout_id IN (\(list)) GROUP BY rollout_id"
            ) {
                counts[try row.integer("rollout_id")] = Int(try row.integer("n"))
            }
        }
        return counts
    }

    /// The rollouts that shipped a change, newest first.
    public static func shipping(_ database: any SQLExecutor, change id: Int64) async throws -> [RolloutRecord] {
        try await database.query("SELECT * FROM rollouts WHERE change_id = $1 ORDER BY id DESC LIMIT 50", [.integer(id)]).map(record)
    }

    /// Rollouts still pending, progressing or paused, oldest first.
    public static func active(_ database: any SQLExecutor) async throws -> [RolloutRecord] {
        try await database.query("SELECT * FROM rollouts WHERE phase IN ('pending', 'progressing', 'paused') ORDER BY id").map(record)
    }

    public static func unfinished(_ database: any SQLExecutor) async throws -> [RolloutRecord] {
        let active = try await active(database)
        let ended = try await database.query("SELECT * FROM rollouts WHERE phase IN ('promoted', 'rolled_back') ORDER BY id DESC LIMIT 100")
        return try active + ended.map(record).filter { $0.state.appliedWeight != $0.state.canaryWeight }
    }

    public static func appendTick(
        _ transaction: any SQLExecutor, rollout id: Int64, tick: Int64, time: String, step: Int, canaryWeight: Int, result: AnalysisResult
    ) async throws {
        try await transaction.query(
            """
            INSERT INTO rollout_ticks (rollout_id, tick, time, step, canary_weight, verdict, reason, evidence_json)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            """,
            [
                .integer(id), .integer(tick), .text(time), .integer(Int64(step)), .integer(Int64(canaryWeight)),
                .text(result.verdict.rawValue), .text(result.reason), .text(try encode(result.evidence)),
            ])
    }

    /// The last `limit` ticks, oldest first.
    public static func ticks(_ database: any SQLExecutor, rollout id: Int64, limit: Int) async throws -> [RolloutTick] {
        let rows = try await database.query(
            "SELECT * FROM rollout_ticks WHERE rollout_id = $1 ORDER BY tick DESC LIMIT $2", [.integer(id), .integer(Int64(limit))])
        return try rows.reversed().map { row in
            let evidence = try decode(AnalysisEvidence.self, try row.text("evidence_json"), what: "evidence")
            let verdict = Verdict(rawValue: try row.text("verdict")) ?? .inconclusive
            return RolloutTick(
                tick: try row.integer("tick"), time: try row.text("time"), step: Int(try row.integer("step")),
                canaryWeight: Int(try row.integer("canary_weight")),
                result: AnalysisResult(verdict: verdict, reason: try row.text("reason"), evidence: evidence))
        }
    }

    public static func tickCount(_ database: any SQLExecutor, rollout id: Int64) async throws -> Int64 {
        try await database.query("SELECT COUNT(*) AS n FROM rollout_ticks WHERE rollout_id = $1", [.integer(id)]).first?.integer("n") ?? 0
    }

    /// Deletes the ticks of rollouts that ended (promoted or rolled back) before `cutoff`; returns how many.
    /// The rollouts themselves, their last verdict and their audit events stay.
    public static func pruneTicks(_ transaction: any SQLExecutor, endedBefore cutoff: String) async throws -> Int {
        try await transaction.query(
            """
            DELETE FROM rollout_ticks WHERE rollout_id IN
              (SELECT id FROM rollouts WHERE phase IN ($1, $2) AND updated_at < $3)
            RETURNING rollout_id
            """,
            [.text(RolloutPhase.promoted.rawValue), .text(RolloutPhase.rolledBack.rawValue), .text(cutoff)]
        ).count
    }

    /// Adds pushed counts to the rollout's running totals.
    public static func addObservation(
        _ transaction: any SQLExecutor, rollout id: Int64, canary: VersionCounts, baseline: VersionCounts, time: String
    ) async throws -> (canary: VersionCounts, baseline: VersionCounts) {
        var totals = try await observationTotals(transaction, rollout: id)
        totals.canary = totals.canary.adding(canary)
        totals.baseline = totals.baseline.adding(baseline)
        try await transaction.query(
            """
            INSERT INTO rollout_observations (rollout_id, canary_json, baseline_json, updated_at) VALUES ($1, $2, $3, $4)
            ON CONFLICT (rollout_id) DO UPDATE SET canary_json = excluded.canary_json, baseline_json = excluded.baseline_json,
              updated_at = excluded.updated_at
            """,
            [.integer(id), .text(try encode(totals.canary)), .text(try encode(totals.baseline)), .text(time)])
        return totals
    }

    public static func observationTotals(_ database: any SQLExecutor, rollout id: Int64) async throws -> (
        canary: VersionCounts, baseline: VersionCounts
    ) {
        guard let row = try await database.query("SELECT * FROM rollout_observations WHERE rollout_id = $1", [.integer(id)]).first else {
            return (.zero, .zero)
        }
        return (
            try decode(VersionCounts.self, try row.text("canary_json"), what: "pushed canary counts"),
            try decode(VersionCounts.self, try row.text("baseline_json"), what: "pushed baseline counts")
        )
    }
}

/// Percentage flags: the `flags` router's state, read by applications through the API.
public enum FlagStore {
    public static func set(_ transaction: any SQLExecutor, name: String, percentage: Int, actor: String, time: String) async throws {
        try await transaction.query(
            """
            INSERT INTO flags (name, percentage, updated_by, updated_at) VALUES ($1, $2, $3, $4)
            ON CONFLICT (name) DO UPDATE SET percentage = excluded.percentage, updated_by = excluded.updated_by,
              updated_at = excluded.updated_at
            """,
            [.text(name), .integer(Int64(percentage)), .text(actor), .text(time)])
        // Flags move without an audit event; the other servers hear of them on the same channel.
        try await transaction.notify(AuditLog.appendedChannel)
    }

    public static func all(_ database: any SQLExecutor) async throws -> [String: Int] {
        var flags: [String: Int] = [:]
        for row in try await database.query("SELECT name, percentage FROM flags") {
            flags[try row.text("name")] = Int(try row.integer("percentage"))
        }
        return flags
    }
}
