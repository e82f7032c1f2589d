import BlastwallControlPlane
import BlastwallCore
import BlastwallStorage
import CEL

/// The recent changes, newest first: who and what wrote them, what they reach, and where their gate stands.
public struct ChangesPage {
    public struct Filters: Sendable, Equatable {
        public var service: String?
        public var provenance: String?
        public var state: String?
        /// Part of a repository or branch name.
        public var query: String?

        public init(service: String? = nil, provenance: String? = nil, state: String? = nil, query: String? = nil) {
            self.service = service
            self.provenance = provenance
            self.state = state
            self.query = query
        }

        public var isEmpty: Bool { service == nil && provenance == nil && state == nil && query == nil }
    }

    public static let provenances = ["human", "ai-assisted", "ai-authored", "bot"]
    public static let states = ["pending", "satisfied", "denied", "rejected"]

    public var changes: [ChangeRecord]
    public var filters: Filters
    /// The link to the next, older page, when there is one.
    public var next: String?
    public var now: Timestamp

    public init(changes: [ChangeRecord], filters: Filters, next: String?, now: Timestamp) {
        self.changes = changes
        self.filters = filters
        self.next = next
        self.now = now
    }

    public var view: [String: Any] {
        let items = changes.map { change -> [String: Any] in
            let risk = ChangeFacts.risk(change.report)
            let dependents = ChangeFacts.dependents(change.report)
            return [
                "id": change.id, "repository": change.repository, "branch": change.branch,
                "author": ChangeFacts.author(change.report, submittedBy: change.submittedBy), "provenance": change.provenance,
                "provenanceLabel": ChangeFacts.provenanceLabel(change.provenance), "tools": ChangeFacts.tools(change.report),
                "services": change.services.isEmpty ? "none" : change.services.joined(separator: ", "),
                "radius": dependents.isEmpty ? "" : "\(dependents.count)", "riskLevel": risk.level, "riskLabel": risk.label,
                "state": change.state, "decision": change.decision, "updatedAt": change.updatedAt,
                "age": ChangeFacts.age(change.updatedAt, now: now),
            ]
        }
        func options(_ values: [String], selected: String?, all: String) -> [[String: Any]] {
            [["value": "", "label": all, "selected": selected == nil]]
                + values.map { ["value": $0, "label": $0, "selected": $0 == selected] }
        }
        return [
            "items": items, "hasItems": !items.isEmpty,
            "empty": filters.isEmpty
                ? "No change has been submitted yet. Run blastwall check --submit in CI, or connect a forge (docs/forges.md)."
                : "No change matches these filters.",
            "filters": [
                "service": filters.service ?? "", "query": filters.query ?? "",
                "provenances": options(Self.provenances, selected: filters.provenance, all: "any"),
                "states": options(Self.states, selected: filters.state, all: "any"),
            ] as [String: Any],
            "next": next ?? "",
        ]
    }
}
