import ArgumentParser
import BlastwallClient
import BlastwallCore

struct SwitchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "switch", abstract: "Kill switches that applications read to turn a path off instantly.",
        subcommands: [SwitchCreateCommand.self, SwitchOnCommand.self, SwitchOffCommand.self, SwitchGetCommand.self, SwitchListCommand.self])

    static func show(_ value: JSONValue, format: TextOrJSON) {
        switch format {
        case .json: Terminal.write(value.serialized() + "\n")
        case .text:
            let state = value["enabled"] == .bool(true) ? "on" : "off"
            let reason = value["reason"]?.stringValue.map { " (\($0))" } ?? ""
            Terminal.write(
                "\(value["name"]?.stringValue ?? "")\t\(state)\(reason)\tby \(value["updated_by"]?.stringValue ?? "") at \(value["updated_at"]?.stringValue ?? "")\n"
            )
        }
    }
}

struct SwitchCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a switch (off).")
    @Argument(help: "The switch's name.") var name: String
    @OptionGroup var client: ClientOptions
    @OptionGroup var output: FormatOption

    func run() async throws {
        SwitchCommand.show(try await client.client().post("/api/v1/switches", .object([("name", .string(name))])), format: output.format)
    }
}

struct SwitchOnCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "on", abstract: "Turn a switch on.")
    @Argument(help: "The switch's name.") var name: String
    @Option(help: "Why (recorded in the audit log).") var reason: String
    @OptionGroup var client: ClientOptions
    @OptionGroup var output: FormatOption

    func run() async throws {
        let body = JSONValue.object([("enabled", .bool(true)), ("reason", .string(reason))])
        SwitchCommand.show(try await client.client().put("/api/v1/switches/\(APIClient.escape(name))", body), format: output.format)
    }
}

struct SwitchOffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "off", abstract: "Turn a switch off.")
    @Argument(help: "The switch's name.") var name: String
    @Option(help: "Why (recorded in the audit log).") var reason: String
    @OptionGroup var client: ClientOptions
    @OptionGroup var output: FormatOption

    func run() async throws {
        let body = JSONValue.object([("enabled", .bool(false)), ("reason", .string(reason))])
        SwitchCommand.show(try await client.client().put("/api/v1/switches/\(APIClient.escape(name))", body), format: output.format)
    }
}

struct SwitchGetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "get", abstract: "Show a switch.")
    @Argument(help: "The switch's name.") var name: String
    @OptionGroup var client: ClientOptions
    @OptionGroup var output: FormatOption

    func run() async throws {
        SwitchCommand.show(try await client.client().get("/api/v1/switches/\(APIClient.escape(name))"), format: output.format)
    }
}

struct SwitchListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List switches.")
    @OptionGroup var client: ClientOptions
    @OptionGroup var output: FormatOption

    func run() async throws {
        let result = try await client.client().get("/api/v1/switches")
        if output.format == .json { return Terminal.write((result["items"] ?? .array([])).serialized() + "\n") }
        for item in result["items"]?.arrayValue ?? [] { SwitchCommand.show(item, format: .text) }
    }
}
