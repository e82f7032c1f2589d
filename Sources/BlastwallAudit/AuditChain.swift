import BlastwallCore
import Crypto

/// The hash chain of the audit log: how an event's hash is computed, and how a log is verified.
public enum AuditChain {
    /// The previous hash of the first event.
    public static let genesisHash = String(repeating: "0", count: 64)

    /// The bytes an event's hash covers: canonical JSON of every field but the hash itself.
    public static func canonicalBytes(
        sequence: Int64, time: String, actor: String, action: String, subject: String, payload: JSONValue, previousHash: String
    ) -> [UInt8] {
        JSONValue.object([
            ("sequence", .int(sequence)), ("time", .string(time)), ("actor", .string(actor)), ("action", .string(action)),
            ("subject", .string(subject)), ("payload", payload), ("previous_hash", .string(previousHash)),
        ]).canonicalBytes
    }

    /// SHA-256 of the canonical encoding, as lowercase hex.
    public static func hash(
        sequence: Int64, time: String, actor: String, action: String, subject: String, payload: JSONValue, previousHash: String
    ) -> String {
        let bytes = canonicalBytes(
            sequence: sequence, time: time, actor: actor, action: action, subject: subject, payload: payload, previousHash: previousHash)
        return Hex.encode(SHA256.hash(data: bytes))
    }

    /// The hash `event` should carry, recomputed from its content.
    public static func hash(of event: AuditEvent) -> String {
        hash(
            sequence: event.sequence, time: event.time, actor: event.actor, action: event.action, subject: event.subject,
            payload: event.payload, previousHash: event.previousHash)
    }

    /// The next event after `previous` (nil for the first), with its hash computed.
    public static func makeEvent(
        after previous: (sequence: Int64, hash: String)?, time: String, actor: String, action: String, subject: String, payload: JSONValue
    ) -> AuditEvent {
        let sequence = (previous?.sequence ?? 0) + 1
        let previousHash = previous?.hash ?? genesisHash
        let hash = hash(
            sequence: sequence, time: time, actor: actor, action: action, subject: subject, payload: payload, previousHash: previousHash)
        return AuditEvent(
            sequence: sequence, time: time, actor: actor, action: action, subject: subject, payload: payload, previousHash: previousHash,
            hash: hash)
    }

    /// Where verification stopped, and why.
    public struct Mismatch: Sendable, Equatable, CustomStringConvertible {
        /// The sequence number expected at this position.
        public var sequence: Int64
        public var reason: String

        public var description: String { "event \(sequence): \(reason)" }
    }

    /// Checks events in order, one pass, constant memory: sequence continuity, each previous hash, each
    /// recomputed hash. Returns the first event that does not match, or nil when the chain holds.
    public struct Verifier: Sendable {
        private var expectedSequence: Int64 = 1
        private var previousHash = AuditChain.genesisHash
        public private(set) var count: Int64 = 0
        public private(set) var lastHash = AuditChain.genesisHash

        public init() {}

        /// `recomputedHash` lets a caller hash events in parallel (each hash depends only on its own event)
        /// while the links between them are still checked here, in order.
        public mutating func check(_ event: AuditEvent, recomputedHash: String? = nil) -> Mismatch? {
            defer { expectedSequence += 1 }
            if event.sequence != expectedSequence {
                let reason =
                    event.sequence > expectedSequence
                    ? "missing: expected event \(expectedSequence) but found event \(event.sequence) (events deleted or reordered)"
                    : "out of order: found event \(event.sequence) where event \(expectedSequence) belongs (events reordered or duplicated)"
                return Mismatch(sequence: expectedSequence, reason: reason)
            }
            if event.previousHash != previousHash {
                return Mismatch(
                    sequence: event.sequence, reason: "its previous hash does not match the hash of event \(event.sequence - 1)")
            }
            let recomputed = recomputedHash ?? AuditChain.hash(of: event)
            if recomputed != event.hash {
                return Mismatch(sequence: event.sequence, reason: "its content does not match its hash (the event was edited)")
            }
            previousHash = event.hash
            lastHash = event.hash
            count += 1
            return nil
        }
    }
}

/// Lowercase hexadecimal encoding.
public enum Hex {
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var output: [UInt8] = []
        for byte in bytes {
            output.append(digits[Int(byte >> 4)])
            output.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: output, as: UTF8.self)
    }

    public static func decode(_ text: String) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count / 2)
        var index = 0
        while index < utf8.count {
            guard let high = value(utf8[index]), let low = value(utf8[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func value(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 48...57: return byte - 48
        case 97...102: return byte - 87
        case 65...70: return byte - 55
        default: return nil
        }
    }
}
