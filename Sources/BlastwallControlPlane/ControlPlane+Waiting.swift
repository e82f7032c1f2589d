import BlastwallCore
import BlastwallStorage

extension ControlPlane {
    /// A change whose gate still waits for approvals, and where the asking identity stands on it.
    public struct WaitingChange: Sendable {
        public var change: ChangeRecord
        public var status: GateStatus
        /// Why the identity may not review it; nil when it may.
        public var refusal: String?
        /// Whether the identity's approval would count toward what is missing (an owner, a member of the group).
        public var yours: Bool
    }

    /// An operation request waiting for approvals, and whether the identity's approval would count.
    public struct WaitingOperation: Sendable {
        public var operation: OperationView
        public var refusal: String?
        public var yours: Bool
    }

    /// The newest changes still pending, each with whether `actor` could move it: the engine is asked what the
    /// gate would say with `actor`'s approval added, so "yours" means exactly what an approval would do.
    public func changesWaiting(limit: Int, by actor: Principal) async throws(ControlPlaneError) -> [WaitingChange] {
        try require(.read, of: actor)
        let time = now()
        let (changes, reviews) = try await read {
            let changes = try await ChangeStore.page(database, .init(state: "pending"), after: 0, limit: limit, newestFirst: true)
            return (changes, try await ReviewStore.active(database, changeIDs: changes.map(\.id)))
        }
        var waiting: [WaitingChange] = []
        for change in changes {
            let current = (reviews[change.id] ?? []).filter { $0.head == change.head }
            let status = try self.status(of: change, reviews: current).status
            let refusal = reviewRefusal(of: change, by: actor)
            var yours = false
            if refusal == nil {
                let mine = ReviewRecord(
                    id: 0, changeID: change.id, reviewer: actor.name, verdict: Review.Verdict.approve.rawValue, isOverride: false,
                    head: change.head, comment: nil, createdAt: time, dismissedAt: nil)
                let after: GateStatus = try self.status(of: change, reviews: current.filter { $0.reviewer != actor.name } + [mine]).status
                yours = after.state == .satisfied || after.missing.count < status.missing.count || after.missing != status.missing
            }
            waiting.append(WaitingChange(change: change, status: status, refusal: refusal, yours: yours))
        }
        return waiting
    }

    /// Pending operation requests of agents, each with whether `actor`'s approval would count.
    public func operationsWaiting(limit: Int, by actor: Principal) async throws(ControlPlaneError) -> [WaitingOperation] {
        let pending = try await operations(state: .pending, after: 0, limit: limit, by: actor)
        let time = now()
        return pending.map { view in
            let operation = view.operation
            var refusal: String?
            if !actor.allows(.review) {
                refusal = "\(actor.name) has role \(actor.role.rawValue), which may not review"
            } else if actor.kind != .human {
                refusal = "\(actor.name) is \(actor.kind.phrase); AI and bot identities never count as approvers"
            } else if let operatorName = operation.operatorName, actor.isNamed(byAnyOf: [operatorName]) {
                refusal = "\(actor.name) is the operator of agent \(operation.agent) and cannot approve its requests (no self-approval)"
            }
            var yours = false
            if refusal == nil {
                let mine = OperationReviewRecord(
                    id: 0, operationID: operation.id, reviewer: actor.name, verdict: Review.Verdict.approve.rawValue, comment: nil,
                    createdAt: time)
                let after = status(of: operation, reviews: view.reviews.filter { $0.reviewer != actor.name } + [mine])
                yours = after.state == .satisfied || after.missing != view.status.missing
            }
            return WaitingOperation(operation: view, refusal: refusal, yours: yours)
        }
    }
}
