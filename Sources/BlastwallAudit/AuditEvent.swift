import BlastwallCore

/// One entry of the append-only audit log. Each event's hash covers its content and the previous hash,
/// so editing, deleting or reordering any event breaks every hash after it.
public struct AuditEvent: Sendable, Equatable {
    /// Position in the log, from 1, without gaps.
    public var sequence: Int64
    /// RFC 3339 UTC time with millisecond precision.
    public var time: String
    /// The identity that caused the event (`system` for the server itself).
    public var actor: String
    /// What happened, such as `change.submitted`, `approval.added`, `switch.flipped`.
    public var action: String
    /// What it happened to, such as `change/42` or `switch/checkout-v2`.
    public var subject: String
    public var payload: JSONValue
    public var previousHash: String
    public var hash: String

    public init(
        sequence: Int64, time: String, actor: String, action: String, subject: String, payload: JSONValue, previousHash: String,
        hash: String
    ) {
        self.sequence = sequence
        self.time = time
        self.actor = actor
        self.action = action
        self.subject = subject
        self.payload = payload
        self.previousHash = previousHash
        self.hash = hash
    }

    /// The event as exported (`audit export --format jsonl`) and read back by `audit verify --file`.
    public var json: JSONValue {
        .object([
            ("sequence", .int(sequence)), ("time", .string(time)), ("actor", .string(actor)), ("action", .string(action)),
            ("subject", .string(subject)), ("payload", payload), ("previous_hash", .string(previousHash)), ("hash", .string(hash)),
        ])
    }

    public init?(json: JSONValue) {
        guard case .int(let sequence)? = json["sequence"], let time = json["time"]?.stringValue,
            let actor = json["actor"]?.stringValue, let action = json["action"]?.stringValue,
            let subject = json["subject"]?.stringValue, let payload = json["payload"],
            let previousHash = json["previous_hash"]?.stringValue, let hash = json["hash"]?.stringValue
        else { return nil }
        self.init(
            sequence: sequence, time: time, actor: actor, action: action, subject: subject, payload: payload, previousHash: previousHash,
            hash: hash)
    }
}
