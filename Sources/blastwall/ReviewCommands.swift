import ArgumentParser
import BlastwallApp
import BlastwallClient
import BlastwallCore

/// Prints a change's gate after a review.
func showGate(_ view: JSONValue, format: TextOrJSON) {
    switch format {
    case .json: Terminal.write(view.serialized() + "\n")
    case .text:
        let gate = view["gate"] ?? view
        Terminal.write(
            "change \(view["id"]?.intValue ?? view["change_id"]?.intValue ?? 0): \(gate["state"]?.stringValue ?? "") — \(gate["summary"]?.stringValue ?? "")\n"
        )
    }
}

struct ApproveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve", abstract: "Approve the current head of a change (only humans with role approver or admin count).")

    @Argument(help: "The change id.") var change: Int64
    @Option(help: "A comment recorded with the approval.") var comment: String?
    @Flag(help: "Approve an emergency override of an active freeze (audited as such).") var override = false
    @OptionGroup var client: ClientOptions
    @OptionGroup var output: FormatOption

    func run() async throws {
        var body: [(String, JSONValue)] = [("verdict", .string("approve")), ("override", .bool(override))]
        if let comment { body.append(("comment", .string(comment))) }
        showGate(try await client.client().post("/api/v1/changes/\(change)/reviews", .object(body)), format: output.format)
    }
}

struct RejectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reject", abstract: "Reject the current head of a change, saying why.")

    @Argument(help: "The change id.") var change: Int64
    @Option(help: "Why (required).") var comment: String
    @OptionGroup var client: ClientOptions
    @OptionGroup var output: FormatOption

    func run() async throws {
        let body = JSONValue.object([("verdict", .string("reject")), ("comment", .string(comment))])
        showGate(try await client.client().post("/api/v1/changes/\(change)/reviews", body), format: output.format)
    }
}

struct GateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gate", abstract: "The step CI waits on: is the change allowed to ship?",
        discussion: "Exit status: 0 satisfied, 1 denied or rejected, 3 still pending, 2 error.")

    @Argument(help: "The change id.") var change: Int64
    @Flag(help: "Wait until the gate is no longer pending (or the timeout passes).") var wait = false
    @Option(help: "How long --wait waits, e.g. 30m or 90s.") var timeout: String = "30m"
    @Option(help: "How often --wait asks, e.g. 5s.") var interval: String = "5s"
    @OptionGroup var client: ClientOptions
    @OptionGroup var output: FormatOption

    func run() async throws {
        let timeoutValue = try DurationOption.parse(timeout, "--timeout")
        let intervalValue = try DurationOption.parse(interval, "--interval")
        let gate = try await GateWaiter.wait(
            changeID: change, client: try client.client(), timeout: wait ? timeoutValue : nil, interval: intervalValue,
            progress: { Terminal.printError("gate \(change): \($0)") })
        switch output.format {
        case .json: Terminal.write(gate.serialized() + "\n")
        case .text: Terminal.write("change \(change): \(gate["state"]?.stringValue ?? "") — \(gate["summary"]?.stringValue ?? "")\n")
        }
        switch gate["state"]?.stringValue {
        case "satisfied": return
        case "pending": throw ExitCode(3)
        default: throw ExitCode(1)
        }
    }
}

struct ChangeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "change", abstract: "Changes submitted to the control plane.",
        subcommands: [ChangeShowCommand.self, ChangeListCommand.self])
}

struct ChangeShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a change, its gate and its reviews.")

    @Argument(help: "The change id.") var change: Int64
    @OptionGroup var client: ClientOptions
    @OptionGroup var output: FormatOption

    func run() async throws {
        let view = try await client.client().get("/api/v1/changes/\(change)")
        guard output.format == .text else { return Terminal.write(view.serialized() + "\n") }
        var text =
            "change \(change): \(view["repository"]?.stringValue ?? "") \(view["branch"]?.stringValue ?? "") @ \(view["head"]?.stringValue?.prefix(12) ?? "")\n"
        text +=
            "  decision \(view["decision"]?.stringValue ?? ""), provenance \(view["provenance"]?.stringValue ?? ""), services \(view["services"]?.arrayValue?.compactMap(\.stringValue).joined(separator: ", ") ?? "")\n"
        text += "  gate: \(view["gate"]?["state"]?.stringValue ?? "") — \(view["gate"]?["summary"]?.stringValue ?? "")\n"
        for review in view["reviews"]?.arrayValue ?? [] {
            let dismissed = review["dismissed_at"]?.stringValue.map { " (dismissed \($0))" } ?? ""
            text +=
                "  \(review["verdict"]?.stringValue ?? "") by \(review["reviewer"]?.stringValue ?? "")\(dismissed)\(review["comment"]?.stringValue.map { ": \($0)" } ?? "")\n"
        }
        Terminal.write(text)
    }
}

struct ChangeListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List changes.")

    @Option var service: String?
    @Option(help: "human, bot, ai-assisted or ai-authored.") var provenance: String?
    @Option(help: "pending, satisfied, denied or rejected.") var state: String?
    @Option var repositoryName: String?
    @Option var branch: String?
    @OptionGroup var client: ClientOptions
    @OptionGroup var output: FormatOption

    func run() async throws {
        var query = ["limit=500"]
        for (name, value) in [
            ("service", service), ("provenance", provenance), ("state", state), ("repository", repositoryName), ("branch", branch),
        ] {
            if let value { query.append("\(name)=\(APIClient.escape(value))") }
        }
        let api = try client.client()
        var items: [JSONValue] = []
        var after: Int64 = 0
        while true {
            let page = try await api.get("/api/v1/changes?" + (query + ["after=\(after)"]).joined(separator: "&"))
            items += page["items"]?.arrayValue ?? []
            guard case .int(let next)? = page["next_after"] else { break }
            after = next
        }
        guard output.format == .text else { return Terminal.write(JSONValue.array(items).serialized() + "\n") }
        for item in items {
            Terminal.write(
                "\(item["id"]?.intValue ?? 0)\t\(item["state"]?.stringValue ?? "")\t\(item["provenance"]?.stringValue ?? "")\t\(item["repository"]?.stringValue ?? "") \(item["branch"]?.stringValue ?? "")\t\(item["services"]?.arrayValue?.compactMap(\.stringValue).joined(separator: ",") ?? "")\n"
            )
        }
    }
}
