import BlastwallCore
import BlastwallStorage
import CEL

extension ControlPlane {
    /// What `freeze create` asks for.
    public struct FreezeRequest: Sendable {
        public var name: String
        public var from: String?
        public var until: String?
        public var reason: String
        public var services: [String]
        public var condition: String?
        public var override: Requirements

        public init(
            name: String, from: String?, until: String?, reason: String, services: [String], condition: String?, override: Requirements
        ) {
            self.name = name
            self.from = from
            self.until = until
            self.reason = reason
            self.services = services
            self.condition = condition
            self.override = override
        }
    }

    /// An RFC 3339 time in the form stored and compared (UTC, milliseconds), or nil when it is not a time.
    /// Why a time was refused; a bare date gets its RFC 3339 spelling.
    static func notATime(_ text: String) -> String {
        if Timestamp(rfc3339: text + "T00:00:00Z") != nil {
            return "'\(text)' is a date without a time: write \(text)T00:00:00Z (RFC 3339, in UTC)"
        }
        return "'\(text)' is not an RFC 3339 time such as 2027-01-04T00:00:00Z"
    }

    static func normalized(_ text: String) -> String? {
        guard let timestamp = Timestamp(rfc3339: text) else { return nil }
        let milliseconds = timestamp.nanoseconds / 1_000_000 * 1_000_000
        var result = Timestamp(nanoseconds: milliseconds)!.rfc3339
        if !result.contains(".") { result.insert(contentsOf: ".000", at: result.index(before: result.endIndex)) }
        return result
    }

    public func createFreeze(_ request: FreezeRequest, by actor: Principal) async throws(ControlPlaneError) -> FreezeRecord {
        try require(.manageFreezes, of: actor)
        try Self.validateName(request.name, field: "name")
        let time = now()
        guard let untilText = request.until else {
            throw .invalid(field: "until", message: "every freeze needs an end: pass an RFC 3339 time such as 2027-01-04T00:00:00Z")
        }
        guard let until = Self.normalized(untilText) else {
            throw .invalid(field: "until", message: Self.notATime(untilText))
        }
        var from: String?
        if let fromText = request.from {
            guard let parsed = Self.normalized(fromText) else {
                throw .invalid(field: "from", message: Self.notATime(fromText))
            }
            from = parsed
        }
        guard until > time else {
            throw .invalid(field: "until", message: "\(untilText) is in the past (it is now \(time)): a freeze must end in the future")
        }
        guard until > (from ?? time) else { throw .invalid(field: "until", message: "the freeze would end before it starts") }
        guard !request.reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw .invalid(field: "reason", message: "say why changes are frozen")
        }
        if let condition = request.condition {
            do {
                _ = try PolicySchema.compileCondition(condition)
            } catch {
                throw .invalid(field: "when", message: error.description)
            }
        }
        let record = FreezeRecord(
            name: request.name, from: from, until: until, reason: request.reason, services: request.services, condition: request.condition,
            override: GateRequirements.json(request.override), createdBy: actor.name, createdAt: time)
        let created = try await write { transaction in
            let created = try await FreezeStore.insert(transaction, record)
            try await AuditLog.append(
                transaction, time: time, actor: actor.name, action: "freeze.created", subject: "freeze/\(created.id)",
                payload: .object([
                    ("name", .string(created.name)), ("until", .string(created.until)), ("reason", .string(created.reason)),
                    ("services", .array(created.services.map(JSONValue.string))),
                    ("when", created.condition.map(JSONValue.string) ?? .null),
                ]))
            return created
        }
        try await reloadFreezes()
        return created
    }

    public func liftFreeze(id: Int64, by actor: Principal) async throws(ControlPlaneError) -> FreezeRecord {
        try require(.manageFreezes, of: actor)
        let time = now()
        let lifted = try await write { transaction in
            guard let lifted = try await FreezeStore.lift(transaction, id: id, actor: actor.name, time: time) else {
                throw ControlPlaneError.notFound("no active freeze \(id)")
            }
            try await AuditLog.append(
                transaction, time: time, actor: actor.name, action: "freeze.lifted", subject: "freeze/\(id)",
                payload: .object([("name", .string(lifted.name))]))
            return lifted
        }
        try await reloadFreezes()
        return lifted
    }

    /// Freezes that have not ended or been lifted (including ones that start later).
    public func currentFreezes(by actor: Principal) throws(ControlPlaneError) -> [FreezeRecord] {
        try require(.read, of: actor)
        let time = now()
        return freezes.withLock { $0 }.filter { $0.until > time }
    }

    func reloadFreezes() async throws(ControlPlaneError) {
        let time = now()
        let current = try await read { try await FreezeStore.current(database, at: time) }
        freezes.withLock { $0 = current }
        gates.withLock { $0.removeAll() }
    }

    /// The runtime freezes that apply to a change now, and until when that answer holds.
    func applicableFreezes(to change: ChangeRecord, at time: String) -> (freezes: [FreezeRecord], validUntil: String?) {
        var applicable: [FreezeRecord] = []
        var validUntil: String?
        func earliest(_ candidate: String) { if validUntil.map({ candidate < $0 }) ?? true { validUntil = candidate } }
        for freeze in freezes.withLock({ $0 }) where freeze.until > time {
            if let from = freeze.from, from > time {
                earliest(from)
                continue
            }
            guard freeze.services.isEmpty || !Set(freeze.services).isDisjoint(with: change.services) else { continue }
            if let condition = freeze.condition {
                // A condition that fails to evaluate keeps the freeze on, as for configured freezes.
                let timestamp = Timestamp(rfc3339: time) ?? Timestamp(secondsSinceEpoch: 0)!
                if let program = try? PolicySchema.compileCondition(condition),
                    case .success(false) = PolicyEvaluator.holds(program, PolicyInput.activation(report: change.report, now: timestamp))
                {
                    continue
                }
            }
            applicable.append(freeze)
            earliest(freeze.until)
        }
        return (applicable, validUntil)
    }
}
