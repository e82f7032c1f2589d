import BlastwallCore

/// A gate decision as an in-toto Statement v1, wrapped in a DSSE envelope signed with Ed25519.
public enum Attestation {
    public static let statementType = "https://in-toto.io/Statement/v1"
    public static let predicateType = "urn:blastwall:predicate:gate-decision:v1"
    public static let payloadType = "application/vnd.in-toto+json"
    /// The predicate of a report a `ci` identity signs for the gate of a server without a mirror: the whole
    /// `blastwall check --format json` report, and the files changed since the head the server last saw.
    public static let reportPredicateType = "urn:blastwall:predicate:gate-report:v1"

    /// The statement: subject is the head commit, predicate the decision.
    public static func statement(
        commit: String, repository: String?, predicate: JSONValue, predicateType: String = predicateType
    ) -> JSONValue {
        .object([
            ("_type", .string(statementType)),
            (
                "subject",
                .array([.object([("name", .string(repository ?? "git")), ("digest", .object([("gitCommit", .string(commit))]))])])
            ),
            ("predicateType", .string(predicateType)),
            ("predicate", predicate),
        ])
    }

    /// The statement a `ci` identity signs to submit a report: `changedSince` names the previous head the
    /// server had and the paths changed since, so that approvals of unchanged services are kept.
    public static func reportStatement(
        repository: String, report: JSONValue, changedSince: (head: String, files: [String])?
    ) -> JSONValue {
        var predicate: [(String, JSONValue)] = [("report", report)]
        if let changedSince {
            predicate.append(
                (
                    "changed_since",
                    .object([("head", .string(changedSince.head)), ("files", .array(changedSince.files.map(JSONValue.string)))])
                ))
        }
        return statement(
            commit: report["head"]?.stringValue ?? "", repository: repository, predicate: .object(predicate),
            predicateType: reportPredicateType)
    }

    /// The predicate of a `blastwall check --format json` report: what was decided about the commit, and why.
    public static func predicate(fromReport report: JSONValue, gate: JSONValue? = nil) -> JSONValue {
        var members: [(String, JSONValue)] = []
        for key in ["decision", "reasons", "requirements", "classes", "provenance", "rules", "freezes", "base", "head", "evaluated_at"] {
            if let value = report[key] { members.append((key, value)) }
        }
        members.append(("services", .array((report["services"]?.arrayValue ?? []).compactMap { $0["name"] })))
        members.append(("risk", .object([("score", report["risk"]?["score"] ?? .null), ("level", report["risk"]?["level"] ?? .null)])))
        if let gate { members.append(("gate", gate)) }
        members.append(("tool", .string("blastwall")))
        return .object(members)
    }

    /// DSSE pre-authentication encoding: "DSSEv1" SP len(type) SP type SP len(body) SP body.
    public static func preAuthenticationEncoding(payloadType: String, payload: [UInt8]) -> [UInt8] {
        Array("DSSEv1 \(payloadType.utf8.count) \(payloadType) \(payload.count) ".utf8) + payload
    }

    /// Signs a statement into a DSSE envelope.
    public static func envelope(statement: JSONValue, key: SigningKey) throws(KeyError) -> JSONValue {
        let payload = Array(statement.serialized(pretty: false).utf8)
        let signature = try key.sign(preAuthenticationEncoding(payloadType: payloadType, payload: payload))
        return .object([
            ("payloadType", .string(payloadType)),
            ("payload", .string(Base64.encode(payload))),
            ("signatures", .array([.object([("keyid", .string(key.keyID)), ("sig", .string(Base64.encode(signature)))])])),
        ])
    }

    /// What a verified envelope says.
    public struct Verified: Sendable {
        public var statement: JSONValue
        public var commit: String?
        public var decision: String?
    }

    /// Checks the envelope's type and signature and returns its statement, or explains why it does not verify.
    public static func verify(envelope: JSONValue, key: VerificationKey) -> Result<Verified, AttestationError> {
        guard envelope["payloadType"]?.stringValue == payloadType else {
            return .failure(AttestationError("payloadType is not \(payloadType)"))
        }
        guard let encoded = envelope["payload"]?.stringValue, let payload = Base64.decode(encoded) else {
            return .failure(AttestationError("the payload is missing or not base64"))
        }
        let message = preAuthenticationEncoding(payloadType: payloadType, payload: payload)
        let signatures = envelope["signatures"]?.arrayValue ?? []
        let valid = signatures.contains { signature in
            guard let sig = signature["sig"]?.stringValue, let bytes = Base64.decode(sig) else { return false }
            return key.isValid(bytes, for: message)
        }
        guard valid else { return .failure(AttestationError("no signature verifies with key \(key.keyID)")) }
        guard let statement = try? JSONParser.parse(String(decoding: payload, as: UTF8.self)),
            statement["_type"]?.stringValue == statementType
        else { return .failure(AttestationError("the payload is not an in-toto Statement v1")) }
        let commit = statement["subject"]?.arrayValue?.first?["digest"]?["gitCommit"]?.stringValue
        return .success(Verified(statement: statement, commit: commit, decision: statement["predicate"]?["decision"]?.stringValue))
    }
}

public struct AttestationError: Error, Sendable, CustomStringConvertible {
    public var description: String

    init(_ description: String) {
        self.description = description
    }
}
