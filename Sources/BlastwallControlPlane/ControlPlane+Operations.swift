import BlastwallAudit
import BlastwallCore
import BlastwallStorage
import CEL
import CommandGuard
import Crypto

extension ControlPlane {
    /// What an agent's hook, `exec` or MCP server asks: the command and the facts of where it runs, which the
    /// server decides on again by its own configuration.
    public struct OperationQuestion: Sendable {
        public var action: HookRequest.Action
        public var directory: String
        public var workingTree: String?
        public var home: String?
        public var session: String?
        public var toolSignals: [String: [EnvironmentSignal]]
        /// Paths the client found to exist (`mv a b` over an existing `b` replaces it).
        public var existingPaths: Set<String>

        public init(
            action: HookRequest.Action, directory: String, workingTree: String? = nil, home: String? = nil, session: String? = nil,
            toolSignals: [String: [EnvironmentSignal]] = [:], existingPaths: Set<String> = []
        ) {
            self.action = action
            self.directory = directory
            self.workingTree = workingTree
            self.home = home
            self.session = session
            self.toolSignals = toolSignals
            self.existingPaths = existingPaths
        }
    }

    public struct OperationAnswer: Sendable {
        public var verdict: AgentDecision.Verdict
        public var reason: String
        public var decision: AgentDecision
        public var operation: OperationView?
    }

    /// An operation request with what its approval still needs.
    public struct OperationView: Sendable {
        public var operation: OperationRecord
        public var state: OperationRecord.State
        public var status: GateStatus
        public var reviews: [OperationReviewRecord]
    }

    /// Decides on an agent's command by the server's configuration and records the decision; an escalation
    /// redeems a matching grant once, or opens (or finds) the operation request it waits for.
    public func checkOperation(_ question: OperationQuestion, by actor: Principal) async throws(ControlPlaneError) -> OperationAnswer {
        try require(.submitChange, of: actor)
        guard actor.kind == .ai, let agent = configuration.agentGateway.agent(named: actor.name) else {
            throw .forbidden(
                "\(actor.name) is not an agent: operation checks are made with the token of an identity of kind ai whose name is "
                    + "defined under 'agents:' in the server's configuration")
        }
        let existing = question.existingPaths
        let context = CommandContext(
            directory: question.directory, workingTree: question.workingTree, home: question.home, toolSignals: question.toolSignals,
            exists: { existing.contains($0) })
        let classification = commandClassifier.classify(
            question.action, in: context, defaultEnvironment: agent.defaultEnvironment)
        let time = now()
        let decision = agentPolicy.decide(
            classification, for: AgentActor(definition: agent, session: question.session),
            now: Timestamp(rfc3339: time) ?? Timestamp(secondsSinceEpoch: 0)!)
        let hash = Self.grantHash(
            agent: agent.name, environment: decision.environment, directory: question.directory, command: classification.text)
        let decisionJSON = decision.json
        let record: (verdict: AgentDecision.Verdict, reason: String, operation: OperationRecord?) = try await write { transaction in
            try await AuditLog.append(
                transaction, time: time, actor: actor.name, action: "agent.decision", subject: "agent/\(agent.name)",
                payload: Self.decisionPayload(decision, agent: agent, session: question.session, directory: question.directory))
            guard decision.verdict == .escalate else { return (decision.verdict, decision.reason, nil) }
            if let grant = try await OperationStore.latest(transaction, hash: hash, states: [.granted]), grant.state(at: time) == .granted,
                let used = try await OperationStore.transition(
                    transaction, id: grant.id, from: .granted, to: .used, time: time, usedAt: time)
            {
                try await AuditLog.append(
                    transaction, time: time, actor: actor.name, action: "operation.grant_used", subject: "operation/\(used.id)",
                    payload: Self.operationPayload(used))
                return (.allow, "granted by operation #\(used.id); the grant is now used", used)
            }
            if let pending = try await OperationStore.latest(transaction, hash: hash, states: [.pending]) {
                return (.escalate, decision.reason, pending)
            }
            let created = try await OperationStore.insert(
                transaction,
                OperationRecord(
                    agent: agent.name, model: agent.model, session: question.session, operatorName: agent.operatorName,
                    command: classification.text, commandHash: hash, directory: question.directory, environment: decision.environment,
                    decision: decisionJSON, requirements: decision.requirements.json, owners: decision.owners, createdAt: time))
            try await AuditLog.append(
                transaction, time: time, actor: actor.name, action: "operation.requested", subject: "operation/\(created.id)",
                payload: Self.decisionPayload(decision, agent: agent, session: question.session, directory: question.directory))
            return (.escalate, decision.reason, created)
        }
        guard let operation = record.operation else {
            return OperationAnswer(verdict: record.verdict, reason: record.reason, decision: decision)
        }
        let view = try await operationView(operation, at: time)
        var reason = record.reason
        if record.verdict == .escalate {
            reason +=
                ". Operation request #\(operation.id) waits for \(view.status.missing.joined(separator: ", ")); "
                + "approve it with: blastwall operation approve \(operation.id). The same command is then allowed once"
        }
        return OperationAnswer(verdict: record.verdict, reason: reason, decision: decision, operation: view)
    }

    public func operations(state: OperationRecord.State?, after: Int64, limit: Int, by actor: Principal) async throws(ControlPlaneError)
        -> [OperationView]
    {
        try require(.read, of: actor)
        let time = now()
        // `expired` is a grant past its time: stored as granted.
        let stored = state == .expired ? .granted : state
        let found = try await read { try await OperationStore.list(database, state: stored, after: after, limit: limit) }
        var views: [OperationView] = []
        for operation in found where state == nil || operation.state(at: time) == state {
            views.append(try await operationView(operation, at: time))
        }
        return views
    }

    public func operation(id: Int64, by actor: Principal) async throws(ControlPlaneError) -> OperationView {
        try require(.read, of: actor)
        guard let operation = try await read({ try await OperationStore.find(database, id: id) }) else {
            throw .notFound("no operation request \(id)")
        }
        return try await operationView(operation, at: now())
    }

    /// Approves or rejects an operation request under the same rules as changes: only humans with an approving
    /// role count, and the human the agent acts for cannot approve its request. Enough approvals grant it.
    public func reviewOperation(id: Int64, verdict: Review.Verdict, comment: String?, by actor: Principal) async throws(ControlPlaneError)
        -> OperationView
    {
        try require(.review, of: actor)
        if actor.kind != .human {
            throw .forbidden("\(actor.name) is \(actor.kind.phrase); AI and bot identities never count as approvers")
        }
        if verdict == .reject, (comment ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw .invalid(field: "comment", message: "a rejection must say why")
        }
        let time = now()
        let updated: OperationRecord = try await write { transaction in
            guard let operation = try await OperationStore.find(transaction, id: id) else {
                throw ControlPlaneError.notFound("no operation request \(id)")
            }
            guard operation.state == .pending else {
                throw ControlPlaneError.conflict("operation request \(id) is \(operation.state(at: time).rawValue), not pending")
            }
            if let operatorName = operation.operatorName, actor.isNamed(byAnyOf: [operatorName]) {
                throw ControlPlaneError.forbidden(
                    "\(actor.name) is the operator of agent \(operation.agent) and cannot approve its requests (no self-approval)")
            }
            _ = try await OperationStore.insertReview(
                transaction, operationID: id, reviewer: actor.name, verdict: verdict.rawValue, comment: comment, time: time)
            try await AuditLog.append(
                transaction, time: time, actor: actor.name, action: verdict == .reject ? "operation.rejected" : "operation.approved",
                subject: "operation/\(id)",
                payload: Self.operationPayload(operation, [("comment", comment.map(JSONValue.string) ?? .null)]))
            let status = self.status(of: operation, reviews: try await OperationStore.reviews(transaction, operationID: id))
            switch status.state {
            case .rejected:
                return try await OperationStore.transition(transaction, id: id, from: .pending, to: .rejected, time: time) ?? operation
            case .satisfied:
                let lifetime =
                    self.configuration.agentGateway.agent(named: operation.agent)?.grantLifetime ?? AgentDefinition.defaultGrantLifetime
                let expires = Self.time(-lifetime, before: time) ?? time
                guard
                    let granted = try await OperationStore.transition(
                        transaction, id: id, from: .pending, to: .granted, time: time, grantedAt: time, expiresAt: expires)
                else { return operation }
                try await AuditLog.append(
                    transaction, time: time, actor: actor.name, action: "operation.granted", subject: "operation/\(id)",
                    payload: Self.operationPayload(
                        operation,
                        [("approvers", .array(status.countedApprovers.map(JSONValue.string))), ("expires_at", .string(expires))]))
                return granted
            default:
                return operation
            }
        }
        return try await operationView(updated, at: time)
    }

    func operationView(_ operation: OperationRecord, at time: String) async throws(ControlPlaneError) -> OperationView {
        let reviews = try await read { try await OperationStore.reviews(database, operationID: operation.id) }
        return OperationView(
            operation: operation, state: operation.state(at: time), status: status(of: operation, reviews: reviews), reviews: reviews)
    }

    func status(of operation: OperationRecord, reviews: [OperationReviewRecord]) -> GateStatus {
        let requirements =
            (try? GateRequirements.requirements(operation.requirements, field: "requirements"))
            ?? Requirements(approvals: 2, owners: .all)
        let gate = GateRequirements(
            decision: .review, requirements: requirements, owners: operation.owners, authors: [],
            submitter: operation.operatorName.map { $0.hasPrefix("@") ? String($0.dropFirst()) : $0 })
        let known = principals.withLock { $0 }
        let counted = reviews.compactMap { record -> Review? in
            guard let reviewer = known[record.reviewer], let verdict = Review.Verdict(rawValue: record.verdict) else { return nil }
            return Review(reviewer: reviewer, verdict: verdict, head: "operation/\(operation.id)")
        }
        return engine.status(of: gate, reviews: counted)
    }

    /// SHA-256 of what a grant is bound to: the agent, the environment, the directory and the command.
    public static func grantHash(agent: String, environment: String, directory: String, command: String) -> String {
        let normalised = command.trimmingCharacters(in: .whitespacesAndNewlines)
        let bound = ["blastwall-grant-v1", agent, environment, directory, normalised].joined(separator: "\u{0}")
        return Hex.encode(SHA256.hash(data: Array(bound.utf8)))
    }

    /// An operation event's payload: the agent, model, session, command and its classification, as the
    /// decision that opened the request recorded them, and what the event adds.
    static func operationPayload(_ operation: OperationRecord, _ extra: [(String, JSONValue)] = []) -> JSONValue {
        let classification = operation.decision["classification"]
        return .object(
            [
                ("agent", .string(operation.agent)), ("model", operation.model.map(JSONValue.string) ?? .null),
                ("session", operation.session.map(JSONValue.string) ?? .null), ("command", .string(operation.command)),
                ("directory", .string(operation.directory)), ("environment", .string(operation.environment)),
                ("operation", classification?["operation"] ?? .null), ("classification", classification?["explanation"] ?? .null),
            ] + extra)
    }

    static func decisionPayload(_ decision: AgentDecision, agent: AgentDefinition, session: String?, directory: String) -> JSONValue {
        .object([
            ("agent", .string(agent.name)), ("model", agent.model.map(JSONValue.string) ?? .null),
            ("session", session.map(JSONValue.string) ?? .null), ("command", .string(decision.classification.text)),
            ("directory", .string(directory)), ("environment", .string(decision.environment)),
            ("operation", .string(decision.classification.operation.rawValue)),
            ("services", .array(Array(Set(decision.classification.commands.flatMap(\.services))).sorted().map(JSONValue.string))),
            ("classification", .string(decision.classification.explanation)), ("verdict", .string(decision.verdict.rawValue)),
            ("reason", .string(decision.reason)),
        ])
    }
}
