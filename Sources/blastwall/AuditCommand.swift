import ArgumentParser
import BlastwallApp
import BlastwallAudit
import BlastwallClient
import BlastwallCore
import BlastwallStorage
import Logging

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "The tamper-evident audit log.",
        subcommands: [AuditVerifyCommand.self, AuditExportCommand.self, AuditSearchCommand.self, AuditCheckpointCommand.self])
}

struct AuditVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "Recompute the hash chain and check checkpoints; name the first event that does not match.",
        discussion: "Exit status: 0 intact, 1 tampered, 2 error.")

    @Option(help: "Verify a database directly (a SQLite file or a postgres:// URL).") var database: String?
    @Option(help: "Verify a JSON Lines export instead.") var file: String?
    @Option(help: "The public (or private) key that signed the checkpoints.") var key: String?
    @Option(
        help: ArgumentHelp(
            "A head kept outside the database (SEQUENCE:HASH, as verify printed it); the log must still reach it. Repeat for several.",
            valueName: "seq:hash"))
    var head: [String] = []
    @Option(help: "A witness file that 'serve --audit-witness' appended checkpoints to; the log must reach each.")
    var witness: String?
    @Option(help: "Output format: text or json.") var format: TextOrJSON = .text

    func validate() throws {
        if (database == nil) == (file == nil) { throw ValidationError("give exactly one of --database URL or --file EXPORT.jsonl") }
        for text in head where ExpectedHead(parsing: text, source: "--head") == nil {
            throw ValidationError(
                "--head must be SEQUENCE:HASH, a positive event number and its 64-character hex hash, such as 42:9f86d0…; not '\(text)'")
        }
    }

    func run() async throws {
        var expected = head.compactMap { ExpectedHead(parsing: $0, source: "--head \($0.prefix(20))…") }
        if let witness { expected += try AuditFiles.witnessedHeads(path: witness, keyPath: key) }
        let result: LogVerification
        if let file {
            result = try AuditFiles.verify(exportPath: file, keyPath: key, expected: expected)
        } else {
            result = try await AuditFiles.verify(
                database: try DatabaseURL(parsing: database!), keyPath: key, expected: expected, logger: Logger(label: "blastwall"))
        }
        switch format {
        case .json:
            Terminal.write(
                JSONValue.object([
                    ("intact", .bool(result.isIntact)), ("events", .int(result.events)), ("checkpoints", .int(Int64(result.checkpoints))),
                    ("last_hash", .string(result.lastHash)), ("expected_heads", .int(Int64(result.expectedHeads))),
                    ("problem", result.problem.map(JSONValue.string) ?? .null),
                ]).serialized() + "\n")
        case .text:
            if let problem = result.problem {
                Terminal.write("TAMPERED: \(problem)\n")
            } else {
                let outside = result.expectedHeads > 0 ? ", \(result.expectedHeads) heads kept outside confirmed" : ""
                Terminal.write(
                    "intact: \(counted(Int(result.events), "event")), \(counted(Int(result.checkpoints), "checkpoint"))\(outside), head \(result.events):\(result.lastHash)\n"
                )
            }
        }
        if !result.isIntact { throw ExitCode(1) }
    }
}

struct AuditExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Write every event, then every signed checkpoint, as JSON Lines to standard output.")

    @Option(help: "Export format (jsonl).") var format: String = "jsonl"
    @OptionGroup var client: ClientOptions

    func run() async throws {
        guard format == "jsonl" else { throw ValidationError("the only export format is jsonl") }
        let api = try client.client()
        var after: Int64 = 0
        while true {
            let page = try await api.get("/api/v1/audit/events?limit=500&after=\(after)")
            let items = page["items"]?.arrayValue ?? []
            Terminal.write(items.map { $0.serialized(pretty: false) + "\n" }.joined())
            guard case .int(let next)? = page["next_after"] else { break }
            after = next
        }
        // The checkpoints travel with the events, so that a cut export fails verification like a cut database.
        let checkpoints = try await api.get("/api/v1/audit/checkpoints")["items"]?.arrayValue ?? []
        Terminal.write(checkpoints.map { JSONValue.object([("checkpoint", $0)]).serialized(pretty: false) + "\n" }.joined())
    }
}

struct AuditSearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "search", abstract: "Search events, newest first.")

    @Option var actor: String?
    @Option var action: String?
    @Option var subject: String?
    @Option var service: String?
    @Option var provenance: String?
    @Option(help: "RFC 3339 time, inclusive.") var since: String?
    @Option(help: "RFC 3339 time, exclusive.") var until: String?
    @Option(help: "At most this many events.") var limit: Int = 100
    @OptionGroup var client: ClientOptions
    @OptionGroup var output: FormatOption

    func run() async throws {
        var query = ["limit=\(min(max(limit, 1), 500))"]
        for (name, value) in [
            ("actor", actor), ("action", action), ("subject", subject), ("service", service), ("provenance", provenance), ("since", since),
            ("until", until),
        ] {
            if let value { query.append("\(name)=\(APIClient.escape(value))") }
        }
        let result = try await client.client().get("/api/v1/audit/search?" + query.joined(separator: "&"))
        let items = result["items"]?.arrayValue ?? []
        switch output.format {
        case .json: Terminal.write(JSONValue.array(items).serialized() + "\n")
        case .text:
            for item in items {
                Terminal.write(
                    "\(item["sequence"]?.intValue ?? 0)\t\(item["time"]?.stringValue ?? "")\t\(item["actor"]?.stringValue ?? "")\t\(item["action"]?.stringValue ?? "")\t\(item["subject"]?.stringValue ?? "")\n"
                )
            }
        }
    }
}

struct AuditCheckpointCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpoint", abstract: "Sign the log's current head with an Ed25519 key, so a truncated tail is detected later.")

    @Option(help: "A SQLite file or a postgres:// URL.") var database: String
    @Option(help: "The Ed25519 private key (PEM) from 'blastwall keygen'.") var key: String

    func run() async throws {
        guard
            let checkpoint = try await AuditFiles.checkpoint(
                database: try DatabaseURL(parsing: database), keyPath: key, time: ControlPlaneClock.now(),
                logger: Logger(label: "blastwall"))
        else { return Terminal.write("the log is empty; nothing to sign\n") }
        Terminal.write("signed event \(checkpoint.sequence) (\(checkpoint.hash)) with key \(checkpoint.keyID)\n")
    }
}

struct KeygenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen", abstract: "Create an Ed25519 key for audit checkpoints and attestations (writes FILE and FILE.pub).")

    @Option(help: "Where to write the private key.") var out: String

    func run() throws {
        let key = try AuditFiles.generateKey(path: out)
        Terminal.write("wrote \(out) and \(out).pub (key id \(key.keyID))\n")
    }
}
