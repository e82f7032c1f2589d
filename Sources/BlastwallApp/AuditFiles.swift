import BlastwallAudit
import BlastwallCore
import BlastwallStorage
import Logging

/// `blastwall audit verify` on an export file or directly on a database, and checkpoint signing.
public enum AuditFiles {
    /// Verifies a JSON Lines export: event lines, and `{"checkpoint": …}` lines; `expected` are heads known
    /// from elsewhere (`--head`, a witness file).
    public static func verify(exportPath: String, keyPath: String?, expected: [ExpectedHead] = []) throws(BlastwallError)
        -> LogVerification
    {
        let (events, checkpoints) = try readLines(exportPath)
        return LogVerification.verify(
            events: events, checkpoints: checkpoints.map(\.checkpoint), key: try keyPath.map(verificationKey), expected: expected)
    }

    /// Verifies the log in a database directly (read-only use of the tables); the database must exist.
    public static func verify(database url: DatabaseURL, keyPath: String?, expected: [ExpectedHead] = [], logger: Logger)
        async throws(BlastwallError) -> LogVerification
    {
        let key = try keyPath.map(verificationKey)
        do {
            let database = try await url.openExisting(logger: logger)
            defer { Task { try? await database.close() } }
            return try await AuditLog.verify(database, key: key, expected: expected)
        } catch {
            throw .from(error)
        }
    }

    /// The heads a witness file kept (the checkpoints `serve --audit-witness` appended), each signature
    /// checked with `keyPath` when one is given, so a forged line in the witness is refused too.
    public static func witnessedHeads(path: String, keyPath: String?) throws(BlastwallError) -> [ExpectedHead] {
        let key = try keyPath.map(verificationKey)
        let (events, checkpoints) = try readLines(path)
        guard events.isEmpty else { throw .file(path: path, reason: "a witness file holds only checkpoint lines") }
        guard !checkpoints.isEmpty else { throw .file(path: path, reason: "the witness file holds no checkpoint") }
        var heads: [ExpectedHead] = []
        for (checkpoint, line) in checkpoints {
            if let key, !checkpoint.hasValidSignature(key) {
                throw .file(path: path, reason: "line \(line): the checkpoint's signature does not verify with key \(key.keyID)")
            }
            heads.append(ExpectedHead(sequence: checkpoint.sequence, hash: checkpoint.hash, source: "the witness \(path) (line \(line))"))
        }
        return heads
    }

    /// Event lines and `{"checkpoint": …}` lines of a JSON Lines file, each checkpoint with its line number.
    private static func readLines(_ path: String) throws(BlastwallError)
        -> (events: [AuditEvent], checkpoints: [(checkpoint: Checkpoint, line: Int)])
    {
        let text = try FileSystem.read(path)
        var events: [AuditEvent] = []
        var checkpoints: [(checkpoint: Checkpoint, line: Int)] = []
        for (number, line) in text.split(separator: "\n").enumerated() where !line.allSatisfy(\.isWhitespace) {
            guard let value = try? JSONParser.parse(String(line)) else {
                throw .file(path: path, reason: "line \(number + 1) is not JSON")
            }
            if let checkpointValue = value["checkpoint"] {
                guard let checkpoint = Checkpoint(json: checkpointValue) else {
                    throw .file(path: path, reason: "line \(number + 1) is not a checkpoint")
                }
                checkpoints.append((checkpoint, number + 1))
            } else {
                guard let event = AuditEvent(json: value) else {
                    throw .file(path: path, reason: "line \(number + 1) is not an audit event")
                }
                events.append(event)
            }
        }
        return (events, checkpoints)
    }

    /// Signs a checkpoint of the database's current head with the key in `keyPath`.
    public static func checkpoint(database url: DatabaseURL, keyPath: String, time: String, logger: Logger) async throws(BlastwallError)
        -> Checkpoint?
    {
        let key = try signingKey(keyPath)
        do {
            let database = try await url.openExisting(logger: logger)
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
        try FileSystem.writeSecret(key.pem, to: path)
        try FileSystem.write(key.publicKeyPEM, to: path + ".pub")
        return key
    }
}
