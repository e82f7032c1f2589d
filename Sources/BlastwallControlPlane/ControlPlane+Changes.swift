import BlastwallCore
import BlastwallStorage

extension ControlPlane {
    /// What `blastwall check --submit` sends: the range, and optionally the client's report (only compared)
    /// or a report signed by a `ci` identity's key (for repositories the server keeps no mirror of).
    public struct Submission: Sendable {
        public var repository: String
        public var branch: String
        public var head: String
        public var base: String?
        /// The client's `blastwall check --format json` report of the head; compared with the server's analysis.
        public var report: JSONValue?
        /// A DSSE envelope of an in-toto statement of the report (`Attestation.reportStatement`).
        public var attestation: JSONValue?
        /// The branch the base must be on, when the server chose the base itself (a pull request's target);
        /// nil: the default branch.
        var baseBranch: String?

        public init(
            repository: String, branch: String, head: String, base: String?, report: JSONValue? = nil, attestation: JSONValue? = nil
        ) {
            self.repository = repository
            self.branch = branch
            self.head = head
            self.base = base
            self.report = report
            self.attestation = attestation
        }
    }

    /// A change with its gate status and reviews.
    public struct ChangeView: Sendable {
        public var change: ChangeRecord
        public var status: GateStatus
        public var reviews: [ReviewRecord]
        /// Reviews dismissed by this submission.
        public var dismissed: [ReviewRecord] = []
        /// When the server analysed the range itself: the report as Markdown, and its findings on lines.
        public var rendered: RenderedReport? = nil
    }

    public func submit(_ submission: Submission, by actor: Principal) async throws(ControlPlaneError) -> ChangeView {
        try require(.submitChange, of: actor)
        for (field, value) in [("repository", submission.repository), ("branch", submission.branch), ("head", submission.head)]
        where value.isEmpty {
            throw .invalid(field: field, message: "is required")
        }
        try Self.validateCommit(submission.head, field: "head")
        let previousHead = try await read {
            try await ChangeStore.find(database, repository: submission.repository, branch: submission.branch)?.head
        }
        let evidence = try await evidence(for: submission, previousHead: previousHead, by: actor)
        let report = evidence.report
        let gate = try GateRequirements(report: report)
        let services = (report["services"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
        let provenance = report["provenance"]?["kind"]?.stringValue ?? "human"
        let time = now()
        let fileServices = Self.fileServices(in: report)
        let draft = ChangeRecord(
            id: 0, repository: submission.repository, branch: submission.branch, head: submission.head,
            base: submission.base ?? report["base"]?.stringValue, submittedBy: actor.name, decision: gate.decision.rawValue,
            state: GateStatus.State.pending.rawValue, services: services, provenance: provenance, gate: gate.json, report: report,
            analysis: evidence.analysis, createdAt: time, updatedAt: time)
        let freezes = applicableFreezes(to: draft, at: time)
        let result = try await write { transaction in
            let previous = try await ChangeStore.find(transaction, repository: submission.repository, branch: submission.branch)
            var dismissed: [ReviewRecord] = []
            var kept: [ReviewRecord] = []
            // What changed since the approved head: said with each dismissal, so a reviewer sees what made it stale.
            var changedPaths: [String] = []
            if let previous, previous.head != submission.head {
                let active = try await ReviewStore.active(transaction, changeID: previous.id)
                // Files changed since the head the evidence was computed against; another head moved in between.
                let changedFiles = previous.head == previousHead ? evidence.changedFiles : nil
                let changed = changedFiles.map { paths in paths.map { ($0, self.service(of: $0, reported: fileServices)) } }
                changedPaths = Array((changedFiles ?? []).prefix(50))
                (kept, dismissed) = self.partition(active, changedFiles: changed, owners: gate.owners)
                try await ReviewStore.dismiss(transaction, ids: dismissed.map(\.id), time: time)
                try await ReviewStore.rebind(transaction, ids: kept.map(\.id), head: submission.head)
            }
            var record = draft
            record.id = previous?.id ?? 0
            record = try await ChangeStore.upsert(transaction, record, time: time)
            let reviews = try await ReviewStore.active(transaction, changeID: record.id)
            let (status, validUntil) = try self.status(of: record, reviews: reviews, freezes: freezes)
            try await ChangeStore.setState(transaction, id: record.id, state: status.state.rawValue, time: time)
            record.state = status.state.rawValue
            try await AuditLog.append(
                transaction, time: time, actor: actor.name, action: "change.submitted", subject: "change/\(record.id)",
                payload: .object([
                    ("repository", .string(record.repository)), ("branch", .string(record.branch)), ("head", .string(record.head)),
                    ("decision", .string(record.decision)), ("services", .array(services.map(JSONValue.string))),
                    ("provenance", .string(provenance)), ("risk", report["risk"]?["score"] ?? .null),
                    ("state", .string(status.state.rawValue)), ("analysed_by", .string(evidence.analysis.name)),
                    ("attested_by", evidence.analysis.attestedBy.map(JSONValue.string) ?? .null),
                ]))
            for review in dismissed {
                try await AuditLog.append(
                    transaction, time: time, actor: actor.name, action: "approval.dismissed", subject: "change/\(record.id)",
                    payload: .object([
                        ("reviewer", .string(review.reviewer)), ("previous_head", .string(review.head)), ("head", .string(record.head)),
                        ("services", .array(services.map(JSONValue.string))),
                        ("reason", .string("files in the reviewer's services changed since the approval")),
                        ("files", .array(changedPaths.map(JSONValue.string))),
                    ]))
            }
            return (
                ChangeView(change: record, status: status, reviews: reviews, dismissed: dismissed, rendered: evidence.rendered), validUntil
            )
        }
        gates.withLock { $0[result.0.change.id] = (result.0.status, result.1) }
        return result.0
    }

    /// Records an approval or rejection of a change's current head.
    public func review(
        changeID: Int64, verdict: Review.Verdict, comment: String?, isOverride: Bool, by actor: Principal
    ) async throws(ControlPlaneError) -> ChangeView {
        try require(.review, of: actor)
        if verdict == .reject, (comment ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw .invalid(field: "comment", message: "a rejection must say why")
        }
        let time = now()
        let seen = try await read { try await ChangeStore.find(database, id: changeID) }
        guard let seen else { throw .notFound("no change \(changeID)") }
        let freezes = applicableFreezes(to: seen, at: time)
        let result = try await write { transaction in
            guard let change = try await ChangeStore.find(transaction, id: changeID) else {
                throw ControlPlaneError.notFound("no change \(changeID)")
            }
            guard change.head == seen.head else {
                throw ControlPlaneError.conflict(
                    "change \(changeID) was resubmitted at head \(change.head) during the review; review the new head")
            }
            _ = try GateRequirements(stored: change.gate)
            if let refusal = self.reviewRefusal(of: change, by: actor) { throw ControlPlaneError.forbidden(refusal) }
            _ = try await ReviewStore.insert(
                transaction, changeID: changeID, reviewer: actor.name, verdict: verdict.rawValue, isOverride: isOverride, head: change.head,
                comment: comment, time: time)
            let reviews = try await ReviewStore.active(transaction, changeID: changeID)
            let (status, validUntil) = try self.status(of: change, reviews: reviews, freezes: freezes)
            try await ChangeStore.setState(transaction, id: changeID, state: status.state.rawValue, time: time)
            let action = verdict == .reject ? "change.rejected" : (isOverride ? "override.approved" : "approval.added")
            try await AuditLog.append(
                transaction, time: time, actor: actor.name, action: action, subject: "change/\(changeID)",
                payload: .object([
                    ("head", .string(change.head)), ("comment", comment.map(JSONValue.string) ?? .null),
                    ("services", .array(change.services.map(JSONValue.string))), ("provenance", .string(change.provenance)),
                    ("state", .string(status.state.rawValue)),
                ]))
            var updated = change
            updated.state = status.state.rawValue
            return (ChangeView(change: updated, status: status, reviews: reviews), validUntil)
        }
        gates.withLock { $0[changeID] = (result.0.status, result.1) }
        return result.0
    }

    public func change(id: Int64, by actor: Principal) async throws(ControlPlaneError) -> ChangeView {
        try require(.read, of: actor)
        return try await read {
            guard let change = try await ChangeStore.find(database, id: id) else { throw ControlPlaneError.notFound("no change \(id)") }
            let reviews = try await ReviewStore.all(database, changeID: id)
            let (status, validUntil) = try self.status(of: change, reviews: reviews.filter { $0.dismissedAt == nil })
            gates.withLock { $0[id] = (status, validUntil) }
            return ChangeView(change: change, status: status, reviews: reviews)
        }
    }

    /// The gate of a change, from memory when known: the path CI polls.
    public func gate(changeID: Int64, by actor: Principal) async throws(ControlPlaneError) -> (status: GateStatus, head: String?) {
        try require(.read, of: actor)
        if let cached = gates.withLock({ $0[changeID] }) {
            // Reading the clock costs more than the lookup, so only gates that a freeze bounds in time ask it.
            guard let validUntil = cached.validUntil else { return (cached.status, nil) }
            if now() < validUntil { return (cached.status, nil) }
        }
        let view = try await change(id: changeID, by: actor)
        return (view.status, view.change.head)
    }

    public func changes(_ filter: ChangeStore.Filter, after: Int64, limit: Int, newestFirst: Bool = false, by actor: Principal)
        async throws(ControlPlaneError) -> [ChangeRecord]
    {
        try require(.read, of: actor)
        return try await read { try await ChangeStore.page(database, filter, after: after, limit: limit, newestFirst: newestFirst) }
    }

    /// Why `actor` may not review `change`, in the words the review would be refused with; nil when it may.
    /// Pages ask before they offer the buttons.
    public func reviewRefusal(of change: ChangeRecord, by actor: Principal) -> String? {
        if !actor.role.permissions.contains(.review) {
            return "\(actor.name) is \(actor.role.rawValue) and may not review changes; an approver or admin can"
        }
        if actor.kind != .human { return "\(actor.name) is \(actor.kind.phrase); AI and bot identities never count as approvers" }
        if let authors = try? GateRequirements(stored: change.gate).authors, actor.authored(authors) {
            return "\(actor.name) authored or committed this change and cannot review it (no self-approval)"
        }
        if actor.name == change.submittedBy { return "\(actor.name) submitted this change and cannot review it (no self-approval)" }
        return nil
    }

    /// The gate of a change's current head: its submitted requirements, runtime freezes in force, and its reviews.
    /// The gate's status; `freezes` are evaluated by the caller before any write transaction opens, so that a
    /// slow freeze condition never holds the database's write lock.
    func status(of change: ChangeRecord, reviews: [ReviewRecord], freezes: (freezes: [FreezeRecord], validUntil: String?)? = nil)
        throws(ControlPlaneError) -> (status: GateStatus, validUntil: String?)
    {
        var gate = try GateRequirements(stored: change.gate)
        gate.submitter = change.submittedBy
        let (applicable, validUntil) = freezes ?? applicableFreezes(to: change, at: now())
        for freeze in applicable {
            let override = (try? GateRequirements.requirements(freeze.override, field: "override")) ?? Requirements(approvals: 2)
            gate.freezeOverride = gate.freezeOverride.map { $0.merged(with: override) } ?? override
        }
        return (status(of: gate, reviews: reviews), validUntil)
    }

    func status(of gate: GateRequirements, reviews: [ReviewRecord]) -> GateStatus {
        engine.status(of: gate, reviews: self.reviews(reviews))
    }

    /// Stored reviews as the engine weighs them. A review given on a forge carries the groups its reviewer
    /// was in through forge teams, and a reviewer counted unmapped (`forge.unmapped_reviewers: count`) is a
    /// human approver under the forge's name for the login.
    func reviews(_ records: [ReviewRecord]) -> [Review] {
        let known = principals.withLock { $0 }
        return records.compactMap { record -> Review? in
            guard let verdict = Review.Verdict(rawValue: record.verdict) else { return nil }
            var reviewer = known[record.reviewer]
            if reviewer == nil, record.source != nil {
                reviewer = Principal(name: record.reviewer, kind: .human, role: .approver)
            }
            guard var reviewer else { return nil }
            reviewer.groups += record.groups
            return Review(reviewer: reviewer, verdict: verdict, isOverride: record.isOverride, head: record.head)
        }
    }

    func partition(
        _ reviews: [ReviewRecord], changedFiles: [(path: String, service: String?)]?, owners: [String: [String]]
    ) -> (kept: [ReviewRecord], dismissed: [ReviewRecord]) {
        guard let changedFiles else { return ([], reviews) }
        var kept: [ReviewRecord] = []
        var dismissed: [ReviewRecord] = []
        for record in reviews {
            guard let review = self.reviews([record]).first else {
                dismissed.append(record)
                continue
            }
            if engine.retained([review], changedFiles: changedFiles, owners: owners).kept.isEmpty {
                dismissed.append(record)
            } else {
                kept.append(record)
            }
        }
        return (kept, dismissed)
    }

    /// The service of a changed path: from the server's configuration, or else as the submitted report mapped it.
    func service(of path: String, reported: [String: String]) -> String? {
        analyzer.service(of: path)?.service.name ?? reported[path]
    }

    static func fileServices(in report: JSONValue) -> [String: String] {
        var map: [String: String] = [:]
        for file in report["files"]?.arrayValue ?? [] {
            if let path = file["path"]?.stringValue, let service = file["service"]?.stringValue { map[path] = service }
        }
        return map
    }
}
