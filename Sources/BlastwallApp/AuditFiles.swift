import BlastwallAudit
import BlastwallCore
import BlastwallStorage
import Logging

/// `blastwall audit verify` on an export file or directly on a database, and checkpoint signing.
public enum AuditFiles {
    /// Verifies a JSON Lines export: event lines, and `{"checkpoint": …}` lines.
    public static func verify(exportPath: String, keyPath: String?) throws(BlastwallError) -> LogVerification {
        let text = try FileSystem.read(exportPath)
        var events: [AuditEvent] = []
        var checkpoints: [Checkpoint] = []
        for (number, line) in text.split(separator: "\n").enumerated() where !line.allSatisfy(\.isWhitespace) {
            guard let value = try? JSONParser.parse(String(line)) else {
                throw .file(path: exportPath, reason: "line \(number + 1) is not JSON")
            }
            if let checkpointValue = value["checkpoint"] {
                guard let checkpoint = Checkpoint(json: checkpointValue) else {
                    throw .file(path: exportPath, reason: "line \(number + 1) is not a checkpoint")
                }
                checkpoints.append(checkpoint)
            } else {
                guard let event = AuditEvent(json: value) else {
                    throw .file(path: exportPath, reason: "line \(number + 1) is not an audit event")
                }
                events.append(event)
            }
        }
        return LogVerification.verify(events: events, checkpoints: checkpoints, key: try keyPath.map(verificationKey))
    }

    /// Verifies the log in a database directly (read-only use of the tables).
    public static func verify(database url: DatabaseURL, keyPath: String?, logger: Logger) async throws(BlastwallError) -> LogVerification {
        let key = try keyPath.map(verificationKey)
        do {
            let database = try await url.open(logger: logger)
            defer { Task { try? await database.close() } }
            return try await AuditLog.verify(database, key: key)
        } catch {
            throw .from(error)
        }
    }

    /// Signs a checkpoint of the database's current head with the key in `keyPath`.
    public static func checkpoint(database url: DatabaseURL, keyPath: String, time: String, logger: Logger) async throws(BlastwallError)
        -> Checkpoint?
    {
        let key = try signingKey(keyPath)
        do {
            let database = try await url.open(logger: logger)
            let checkpoint = try await AuditLog.checkpoint(database, key: key, time: time)
            try await database.close()
            return checkpoint
        } catch {
            throw .from(error)
        }
    }

    public static func signingKey(_ path: String) throws(BlastwallError) -> SigningKey {
        do {
            return try SigningKey(pem: try FileSystem.read(path))
        } catch let error as KeyError {
            throw .file(path: path, reason: error.description)
        } catch {
            throw .from(error)
        }
    }

    public static func verificationKey(_ path: String) throws(BlastwallError) -> VerificationKey {
        do {
            return try VerificationKey(pem: try FileSystem.read(path))
        } catch let error as KeyError {
            throw .file(path: path, reason: error.description)
        } catch {
            throw .from(error)
        }
    }

    /// `blastwall keygen`: a new Ed25519 key, private (PKCS #8) to `path`, public (SPKI) to `path.pub`.
    public static func generateKey(path: String) throws(BlastwallError) -> SigningKey {
        if FileSystem.exists(path) { throw .file(path: path, reason: "already exists; choose another --out") }
        let key = SigningKey()
        try FileSystem.write(key.pem, to: path)
        try FileSystem.write(key.publicKeyPEM, to: path + ".pub")
        return key
    }
}
