import BlastwallAudit
import BlastwallCore
import BlastwallStorage

/// The audit log searched by actor, action, subject and time, newest first, each event with its hash and the
/// one before it; and, when asked, the result of verifying the whole chain.
public struct AuditPage {
    public struct Query: Sendable, Equatable {
        public var actor: String?
        public var action: String?
        public var subject: String?
        public var since: String?
        public var until: String?

        public init(actor: String? = nil, action: String? = nil, subject: String? = nil, since: String? = nil, until: String? = nil) {
            self.actor = actor
            self.action = action
            self.subject = subject
            self.since = since
            self.until = until
        }

        public var pairs: [(String, String)] {
            [("actor", actor), ("action", action), ("subject", subject), ("since", since), ("until", until)].compactMap { name, value in
                value.map { (name, $0) }
            }
        }
    }

    public var events: [AuditEvent]
    public var query: Query
    public var verification: LogVerification?
    public var next: String?

    public init(events: [AuditEvent], query: Query, verification: LogVerification?, next: String?) {
        self.events = events
        self.query = query
        self.verification = verification
        self.next = next
    }

    public var view: [String: Any] {
        let rows = events.map { event -> [String: Any] in
            [
                "sequence": event.sequence, "time": event.time, "actor": event.actor, "action": event.action, "subject": event.subject,
                "payload": Self.payload(event.payload), "hash": event.hash, "shortHash": String(event.hash.prefix(16)),
                "previous": String(event.previousHash.prefix(16)),
            ]
        }
        var view: [String: Any] = [
            "actor": query.actor ?? "", "action": query.action ?? "", "subject": query.subject ?? "", "since": query.since ?? "",
            "until": query.until ?? "", "rows": rows, "hasRows": !rows.isEmpty, "next": next ?? "",
            "empty": query.pairs.isEmpty ? "The audit log is empty." : "No event matches this search.",
        ]
        if let verification {
            view["verification"] = [
                "intact": verification.isIntact,
                "text": verification.problem.map { "The chain is broken: \($0)" }
                    ?? "The chain is intact: \(counted(Int(verification.events), "event")) and \(counted(verification.checkpoints, "checkpoint")) verified; the last hash is \(verification.lastHash).",
            ]
        }
        return view
    }

    /// The payload on one line, cut short: the API has it whole.
    static func payload(_ payload: JSONValue) -> String {
        let text = payload.serialized()
        return text.count > 240 ? String(text.prefix(240)) + "…" : text
    }
}
