import ArgumentParser
import BlastwallClient
import BlastwallCore

struct FreezeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "freeze", abstract: "Runtime change freezes. Every freeze has an end.",
        subcommands: [FreezeCreateCommand.self, FreezeListCommand.self, FreezeLiftCommand.self])

    static func show(_ freeze: JSONValue, format: TextOrJSON) {
        switch format {
        case .json: Terminal.write(freeze.serialized() + "\n")
        case .text:
            let scope = freeze["services"]?.arrayValue?.compactMap(\.stringValue).joined(separator: ",") ?? ""
            let condition = freeze["when"]?.stringValue.map { " when \($0)" } ?? ""
            Terminal.write(
                "\(freeze["id"]?.intValue ?? 0)\t\(freeze["name"]?.stringValue ?? "")\tuntil \(freeze["until"]?.stringValue ?? "")\t\(scope.isEmpty ? "all services" : scope)\(condition)\t\(freeze["reason"]?.stringValue ?? "")\n"
            )
        }
    }
}

struct FreezeCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Freeze changes until a time; matching changes are denied unless an override is approved.")

    @Option var name: String
    @Option(help: "When it ends (RFC 3339). Required: every temporary measure carries its exit condition.") var until: String?
    @Option(help: "When it starts (RFC 3339; default now).") var from: String?
    @Option var reason: String
    @Option(parsing: .upToNextOption, help: "Only these services (default: all).") var services: [String] = []
    @Option(name: .customLong("when"), help: "Only changes matching this CEL condition, e.g. \"blast.max_tier == 1\".") var condition:
        String?
    @Option(help: "Approvals an emergency override needs.") var overrideApprovals: Int = 2
    @Option(name: .customLong("override-group"), help: "GROUP=COUNT approvals an override needs from a group (repeatable).")
    var overrideGroups: [String] = []
    @OptionGroup var client: ClientOptions
    @OptionGroup var output: FormatOption

    func validate() throws {
        guard until != nil else {
            throw ValidationError("a freeze without --until is refused: every freeze needs an end, e.g. --until 2027-01-04T00:00:00Z")
        }
    }

    func run() async throws {
        var groups: [(String, JSONValue)] = []
        for entry in overrideGroups {
            let parts = entry.split(separator: "=")
            guard parts.count == 2, let count = Int(parts[1]) else {
                throw ValidationError("--override-group takes GROUP=COUNT, e.g. senior=1")
            }
            groups.append((String(parts[0]), .int(Int64(count))))
        }
        var body: [(String, JSONValue)] = [
            ("name", .string(name)), ("until", .string(until!)), ("reason", .string(reason)),
            ("services", .array(services.map(JSONValue.string))),
            ("override", .object([("approvals", .int(Int64(overrideApprovals))), ("groups", .object(groups))])),
        ]
        if let from { body.append(("from", .string(from))) }
        if let condition { body.append(("when", .string(condition))) }
        FreezeCommand.show(try await client.client().post("/api/v1/freezes", .object(body)), format: output.format)
    }
}

struct FreezeListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List freezes that have not ended or been lifted.")
    @OptionGroup var client: ClientOptions
    @OptionGroup var output: FormatOption

    func run() async throws {
        let items = try await client.client().get("/api/v1/freezes")["items"]?.arrayValue ?? []
        if output.format == .json { return Terminal.write(JSONValue.array(items).serialized() + "\n") }
        for item in items { FreezeCommand.show(item, format: .text) }
    }
}

struct FreezeLiftCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "lift", abstract: "Lift a freeze before its end.")
    @Argument(help: "The freeze id.") var id: Int64
    @OptionGroup var client: ClientOptions
    @OptionGroup var output: FormatOption

    func run() async throws {
        let freeze = try await client.client().delete("/api/v1/freezes/\(id)")
        if output.format == .text { Terminal.write("lifted freeze \(id) (\(freeze["name"]?.stringValue ?? ""))\n") }
        FreezeCommand.show(freeze, format: output.format)
    }
}
