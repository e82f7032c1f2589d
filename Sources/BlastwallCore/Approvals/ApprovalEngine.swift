/// An approval or rejection recorded against one head commit of a change.
public struct Review: Sendable, Equatable {
    public enum Verdict: String, Sendable, Codable {
        case approve, reject
    }

    public var reviewer: Principal
    public var verdict: Verdict
    /// True for an emergency override of active freezes; it counts toward the freezes' override requirements.
    public var isOverride: Bool
    public var head: String

    public init(reviewer: Principal, verdict: Verdict, isOverride: Bool = false, head: String) {
        self.reviewer = reviewer
        self.verdict = verdict
        self.isOverride = isOverride
        self.head = head
    }
}

/// What the gate needs for one change, as the gate check submitted it.
public struct GateRequirements: Sendable, Equatable {
    public var decision: Decision
    /// Denials other than freezes; these cannot be approved away.
    public var denials: [String]
    public var requirements: Requirements
    /// Touched service → who may approve for it.
    public var owners: [String: [String]]
    /// Active freezes' merged override requirements, when freezes deny the change.
    public var freezeOverride: Requirements?
    /// Authors and committers of the range: they cannot approve it.
    public var authors: [Identity]
    /// The identity that submitted the change: never a counted approver of it, whoever the commits name.
    public var submitter: String?

    public init(
        decision: Decision, denials: [String] = [], requirements: Requirements, owners: [String: [String]],
        freezeOverride: Requirements? = nil, authors: [Identity], submitter: String? = nil
    ) {
        self.submitter = submitter
        self.decision = decision
        self.denials = denials
        self.requirements = requirements
        self.owners = owners
        self.freezeOverride = freezeOverride
        self.authors = authors
    }
}

/// The gate's state for a change given its reviews.
public struct GateStatus: Sendable, Equatable {
    public enum State: String, Sendable, Codable {
        /// Every requirement is met.
        case satisfied
        /// Requirements are still missing.
        case pending
        /// A rule denies the change, or a freeze does and its override is not met.
        case denied
        /// A reviewer rejected the current head.
        case rejected
    }

    public var state: State
    /// What is still needed, such as "1 owner of `payments`".
    public var missing: [String]
    /// Why the change is denied or rejected.
    public var reasons: [String]
    /// Names of the reviewers whose approvals counted.
    public var countedApprovers: [String]

    /// "needs 1 owner of `payments`, 1 of group `senior`"; "approved by alice, bob".
    public var summary: String {
        switch state {
        case .satisfied:
            return countedApprovers.isEmpty ? "no approval is required" : "approved by " + countedApprovers.joined(separator: ", ")
        case .pending: return "needs " + missing.joined(separator: ", ")
        case .denied, .rejected: return reasons.joined(separator: "; ")
        }
    }
}

/// Decides whether a change's requirements are met by its reviews: the two-person rule, owners of every
/// touched service, group approvals, no self-approval, and only humans counting.
public struct ApprovalEngine: Sendable {
    /// Named groups from the configuration: group → members (people, teams, emails).
    public let groups: [String: [String]]

    public init(groups: [String: [String]]) {
        self.groups = groups
    }

    /// Whether `principal` belongs to `group`: assigned to it directly, or named in its members (itself or a team).
    public func isMember(_ principal: Principal, of group: String) -> Bool {
        if principal.groups.contains(where: { $0.lowercased() == group.lowercased() }) { return true }
        return principal.isNamed(byAnyOf: groups[group] ?? [])
    }

    /// Reasons a review cannot count, or nil when it can.
    public func disqualification(of reviewer: Principal, for gate: GateRequirements) -> String? {
        if reviewer.kind != .human {
            return "\(reviewer.name) is \(reviewer.kind.phrase); AI and bot identities never count as approvers"
        }
        if !reviewer.canCountAsApprover {
            return "\(reviewer.name) has role \(reviewer.role.rawValue); approving needs role approver or admin"
        }
        if reviewer.authored(gate.authors) { return "\(reviewer.name) authored or committed this change and cannot approve it" }
        if reviewer.name == gate.submitter { return "\(reviewer.name) submitted this change and cannot approve it" }
        return nil
    }

    public func status(of gate: GateRequirements, reviews: [Review]) -> GateStatus {
        let counted = reviews.filter { disqualification(of: $0.reviewer, for: gate) == nil }
        if let rejection = counted.first(where: { $0.verdict == .reject }) {
            return GateStatus(state: .rejected, missing: [], reasons: ["rejected by \(rejection.reviewer.name)"], countedApprovers: [])
        }
        let approvals = counted.filter { $0.verdict == .approve }
        if !gate.denials.isEmpty {
            return GateStatus(state: .denied, missing: [], reasons: gate.denials, countedApprovers: [])
        }
        var missing: [String] = []
        if let override = gate.freezeOverride {
            let overrideMissing = self.missing(override, owners: gate.owners, approvals: approvals.filter(\.isOverride))
            if !overrideMissing.isEmpty {
                return GateStatus(
                    state: .denied, missing: overrideMissing.map { "\($0) (freeze override)" },
                    reasons: ["an active freeze denies this change; an override needs " + overrideMissing.joined(separator: ", ")],
                    countedApprovers: [])
            }
        }
        missing += self.missing(gate.requirements, owners: gate.owners, approvals: approvals)
        let names = Array(Set(approvals.map(\.reviewer.name))).sorted()
        return GateStatus(state: missing.isEmpty ? .satisfied : .pending, missing: missing, reasons: [], countedApprovers: names)
    }

    /// What `requirements` still lack, given counted approvals.
    func missing(_ requirements: Requirements, owners: [String: [String]], approvals: [Review]) -> [String] {
        var distinct: [String: Principal] = [:]
        for approval in approvals { distinct[approval.reviewer.name] = approval.reviewer }
        let approvers = Array(distinct.values)
        var missing: [String] = []
        switch requirements.owners {
        case .all:
            for (service, serviceOwners) in owners.sorted(by: { $0.key < $1.key })
            where !approvers.contains(where: { $0.isNamed(byAnyOf: serviceOwners) }) {
                missing.append("1 owner of `\(service)`")
            }
        case .any:
            let allOwners = owners.values.flatMap { $0 }
            if !owners.isEmpty, !approvers.contains(where: { $0.isNamed(byAnyOf: allOwners) }) {
                missing.append("1 owner of any of `\(owners.keys.sorted().joined(separator: "`, `"))`")
            }
        case .none:
            break
        }
        for (group, count) in requirements.groups.sorted(by: { $0.key < $1.key }) {
            let members = approvers.filter { isMember($0, of: group) }.count
            if members < count { missing.append("\(count - members) of group `\(group)`") }
        }
        if approvers.count < requirements.approvals {
            let short = requirements.approvals - approvers.count
            missing.append("\(short) more approval\(short == 1 ? "" : "s") (\(approvers.count) of \(requirements.approvals))")
        }
        return missing
    }

    /// Which approvals survive a new head. An approval stays only if no file in the reviewer's services
    /// changed between the heads; a changed file that no service owns dismisses every approval. Reviewers
    /// who own none of the touched services answer for all of them.
    public func retained(
        _ reviews: [Review], changedFiles: [(path: String, service: String?)], owners: [String: [String]]
    ) -> (kept: [Review], dismissed: [Review]) {
        if changedFiles.contains(where: { $0.service == nil }) { return ([], reviews) }
        let changedServices = Set(changedFiles.compactMap(\.service))
        var kept: [Review] = []
        var dismissed: [Review] = []
        for review in reviews {
            let owned = Set(owners.filter { review.reviewer.isNamed(byAnyOf: $0.value) }.keys)
            let answersFor = owned.isEmpty ? Set(owners.keys).union(changedServices) : owned
            if answersFor.isDisjoint(with: changedServices) { kept.append(review) } else { dismissed.append(review) }
        }
        return (kept, dismissed)
    }
}
