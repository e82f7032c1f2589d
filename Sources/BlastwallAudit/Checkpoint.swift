import BlastwallCore

/// A signed statement that the log had `hash` at `sequence`. Because a checkpoint names an event,
/// cutting the log back past it (truncating the tail) is detected even though the rest of the chain holds.
public struct Checkpoint: Sendable, Equatable {
    public var sequence: Int64
    public var hash: String
    public var time: String
    public var keyID: String
    /// Base64 Ed25519 signature over the canonical JSON of sequence, hash and time.
    public var signature: String

    public init(sequence: Int64, hash: String, time: String, keyID: String, signature: String) {
        self.sequence = sequence
        self.hash = hash
        self.time = time
        self.keyID = keyID
        self.signature = signature
    }

    static func signedBytes(sequence: Int64, hash: String, time: String) -> [UInt8] {
        JSONValue.object([("sequence", .int(sequence)), ("hash", .string(hash)), ("time", .string(time))]).canonicalBytes
    }

    /// Signs the log's state at `event`.
    public static func sign(_ event: AuditEvent, time: String, key: SigningKey) throws(KeyError) -> Checkpoint {
        let signature = try key.sign(signedBytes(sequence: event.sequence, hash: event.hash, time: time))
        return Checkpoint(sequence: event.sequence, hash: event.hash, time: time, keyID: key.keyID, signature: Base64.encode(signature))
    }

    public func hasValidSignature(_ key: VerificationKey) -> Bool {
        guard let bytes = Base64.decode(signature) else { return false }
        return key.isValid(bytes, for: Self.signedBytes(sequence: sequence, hash: hash, time: time))
    }

    public var json: JSONValue {
        .object([
            ("sequence", .int(sequence)), ("hash", .string(hash)), ("time", .string(time)), ("key_id", .string(keyID)),
            ("signature", .string(signature)),
        ])
    }

    public init?(json: JSONValue) {
        guard case .int(let sequence)? = json["sequence"], let hash = json["hash"]?.stringValue, let time = json["time"]?.stringValue,
            let keyID = json["key_id"]?.stringValue, let signature = json["signature"]?.stringValue
        else { return nil }
        self.init(sequence: sequence, hash: hash, time: time, keyID: keyID, signature: signature)
    }
}

/// A state of the log known from outside the database — `audit verify --head SEQ:HASH`, or a checkpoint in a
/// witness file — that the log must still contain. Only such a head reveals a tail cut after the newest
/// checkpoint in the database, or a database rewritten together with its checkpoints.
public struct ExpectedHead: Sendable, Equatable {
    public var sequence: Int64
    public var hash: String
    /// Where it came from, for the report: "--head", or the witness file's path and line.
    public var source: String

    public init(sequence: Int64, hash: String, source: String) {
        self.sequence = sequence
        self.hash = hash
        self.source = source
    }

    /// Parses `SEQ:HASH`, as `audit verify --head` takes it.
    public init?(parsing text: String, source: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let sequence = Int64(parts[0]), sequence > 0, parts[1].utf8.count == 64,
            Hex.decode(String(parts[1])) != nil
        else { return nil }
        self.init(sequence: sequence, hash: parts[1].lowercased(), source: source)
    }
}

/// Verifies a whole log: the hash chain, then every checkpoint against the events and the key, then every
/// head known from outside.
public struct LogVerification: Sendable, Equatable {
    public var events: Int64
    public var checkpoints: Int
    public var lastHash: String
    /// The first problem found, or nil when the log is intact.
    public var problem: String?
    /// How many heads known from outside the database were confirmed.
    public var expectedHeads: Int

    public var isIntact: Bool { problem == nil }

    public init(events: Int64, checkpoints: Int, lastHash: String, problem: String?, expectedHeads: Int = 0) {
        self.events = events
        self.checkpoints = checkpoints
        self.lastHash = lastHash
        self.problem = problem
        self.expectedHeads = expectedHeads
    }

    /// `events` must be in sequence order. `key` is optional: without it, checkpoint signatures are not checked.
    public static func verify(
        events: some Sequence<AuditEvent>, checkpoints: [Checkpoint], key: VerificationKey?, expected: [ExpectedHead] = []
    ) -> LogVerification {
        var verifier = AuditChain.Verifier()
        var hashes: [Int64: String] = [:]
        let wanted = sequencesToKeep(checkpoints: checkpoints, expected: expected)
        for event in events {
            if let mismatch = verifier.check(event) {
                return LogVerification(events: verifier.count, checkpoints: 0, lastHash: verifier.lastHash, problem: mismatch.description)
            }
            if wanted.contains(event.sequence) { hashes[event.sequence] = event.hash }
        }
        return finish(verifier, checkpoints: checkpoints, hashes: hashes, key: key, expected: expected)
    }

    /// The events whose hashes `finish` compares.
    public static func sequencesToKeep(checkpoints: [Checkpoint], expected: [ExpectedHead]) -> Set<Int64> {
        Set(checkpoints.map(\.sequence)).union(expected.map(\.sequence))
    }

    /// The result once the chain has been checked: every checkpoint must name an existing event, carry its
    /// hash, and be signed by `key`; every expected head must name an existing event with that hash.
    public static func finish(
        _ verifier: AuditChain.Verifier, checkpoints: [Checkpoint], hashes: [Int64: String], key: VerificationKey?,
        expected: [ExpectedHead] = []
    ) -> LogVerification {
        func failure(_ problem: String) -> LogVerification {
            LogVerification(events: verifier.count, checkpoints: 0, lastHash: verifier.lastHash, problem: problem)
        }
        for head in expected.sorted(by: { $0.sequence < $1.sequence }) {
            guard let hash = hashes[head.sequence] else {
                return failure(
                    "\(head.source) names event \(head.sequence), but the log ends at event \(verifier.count) "
                        + "(events were removed from the end)")
            }
            if hash != head.hash {
                return failure(
                    "\(head.source) names event \(head.sequence) with hash \(head.hash), but the log has \(hash) there "
                        + "(the log was rewritten from that event or before)")
            }
        }
        for checkpoint in checkpoints.sorted(by: { $0.sequence < $1.sequence }) {
            if let key, !checkpoint.hasValidSignature(key) {
                return failure("checkpoint at event \(checkpoint.sequence): the signature does not verify with key \(key.keyID)")
            }
            guard let hash = hashes[checkpoint.sequence] else {
                return failure(
                    "checkpoint at event \(checkpoint.sequence): the log ends at event \(verifier.count) (events were removed from the end)"
                )
            }
            if hash != checkpoint.hash {
                return failure("checkpoint at event \(checkpoint.sequence): the event's hash differs from the signed one")
            }
        }
        return LogVerification(
            events: verifier.count, checkpoints: checkpoints.count, lastHash: verifier.lastHash, problem: nil,
            expectedHeads: expected.count)
    }
}
