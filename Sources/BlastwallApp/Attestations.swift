import BlastwallAudit
import BlastwallCore

/// `check --attest` and `attest verify`: the gate decision as a signed in-toto statement.
public enum Attestations {
    /// Signs the report's decision for its head commit with the key at `keyPath`.
    public static func envelope(report: JSONValue, keyPath: String) throws(BlastwallError) -> JSONValue {
        guard let head = report["head"]?.stringValue else {
            throw .input("--attest needs a git range: the attestation's subject is the head commit")
        }
        let key = try AuditFiles.signingKey(keyPath)
        let statement = Attestation.statement(commit: head, repository: nil, predicate: Attestation.predicate(fromReport: report))
        do {
            return try Attestation.envelope(statement: statement, key: key)
        } catch {
            throw .input(error.description)
        }
    }

    /// Verifies an envelope file; when `commit` is given, the subject must be that commit.
    public static func verify(envelopePath: String, keyPath: String, commit: String?) throws(BlastwallError) -> Attestation.Verified {
        let text = try FileSystem.read(envelopePath)
        guard let envelope = try? JSONParser.parse(text) else { throw .file(path: envelopePath, reason: "is not JSON") }
        let key = try AuditFiles.verificationKey(keyPath)
        switch Attestation.verify(envelope: envelope, key: key) {
        case .failure(let error):
            throw .input("\(envelopePath) does not verify: \(error.description)")
        case .success(let verified):
            if let commit, verified.commit != commit {
                throw .input("\(envelopePath) attests commit \(verified.commit ?? "nothing"), not \(commit)")
            }
            return verified
        }
    }

    public static func write(_ envelope: JSONValue, to path: String) throws(BlastwallError) {
        try FileSystem.write(envelope.serialized() + "\n", to: path)
    }
}
