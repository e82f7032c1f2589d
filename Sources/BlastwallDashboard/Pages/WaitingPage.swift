import BlastwallControlPlane
import BlastwallCore
import BlastwallStorage
import CEL

/// What waits for approvals: first what the signed-in person's approval would move, then what waits on others,
/// each with what it still needs; changes and agents' operation requests alike.
public struct WaitingPage {
    public var changes: [ControlPlane.WaitingChange]
    public var operations: [ControlPlane.WaitingOperation]
    public var csrf: String
    public var now: Timestamp

    public init(changes: [ControlPlane.WaitingChange], operations: [ControlPlane.WaitingOperation], csrf: String, now: Timestamp) {
        self.changes = changes
        self.operations = operations
        self.csrf = csrf
        self.now = now
    }

    public var view: [String: Any] {
        func change(_ item: ControlPlane.WaitingChange) -> [String: Any] {
            let record = item.change
            return [
                "id": record.id, "repository": record.repository, "branch": record.branch, "provenance": record.provenance,
                "provenanceLabel": ChangeFacts.provenanceLabel(record.provenance),
                "author": ChangeFacts.author(record.report, submittedBy: record.submittedBy),
                "services": record.services.isEmpty ? "none" : record.services.joined(separator: ", "),
                "needs": item.status.missing.joined(separator: "; "), "refusal": item.refusal ?? "",
                "age": ChangeFacts.age(record.createdAt, now: now),
            ]
        }
        func operation(_ item: ControlPlane.WaitingOperation) -> [String: Any] {
            let record = item.operation.operation
            return [
                "id": record.id, "agent": record.agent, "model": record.model ?? "", "command": record.command,
                "environment": record.environment, "operator": record.operatorName ?? "",
                "needs": item.operation.status.missing.joined(separator: "; "), "refusal": item.refusal ?? "",
                "mayReview": item.refusal == nil, "age": ChangeFacts.age(record.createdAt, now: now),
            ]
        }
        let mine = changes.filter(\.yours).map(change)
        let others = changes.filter { !$0.yours }.map(change)
        let myOperations = operations.filter(\.yours).map(operation)
        let otherOperations = operations.filter { !$0.yours }.map(operation)
        // A list is a one-element section holding its rows, so that a partial renders its table once.
        func table(_ rows: [[String: Any]]) -> [[String: Any]] { rows.isEmpty ? [] : [["rows": rows]] }
        return [
            "csrf": csrf,
            "mine": table(mine), "hasMine": !mine.isEmpty, "others": table(others), "hasOthers": !others.isEmpty,
            "myOperations": table(myOperations), "hasMyOperations": !myOperations.isEmpty,
            "otherOperations": table(otherOperations), "hasOtherOperations": !otherOperations.isEmpty,
            "nothing": changes.isEmpty && operations.isEmpty,
        ]
    }
}
