import ArgumentParser
import BlastwallClient
import BlastwallCore

/// `blastwall operation`: agents' requests to run commands that need people's approval.
struct OperationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "operation",
        abstract: "Agents' operation requests: list, show, approve or reject them.",
        subcommands: [OperationListCommand.self, OperationShowCommand.self, OperationApproveCommand.self, OperationRejectCommand.self])

    /// "#12 pending — coder wants: kubectl delete ns payments (prod); needs 2 approvals".
    static func line(_ operation: JSONValue) -> String {
        let gate = operation["gate"]
        let state = operation["state"]?.stringValue ?? ""
        let what = gate?["summary"]?.stringValue ?? ""
        return "#\(operation["id"]?.intValue ?? 0) \(state) — \(operation["agent"]?.stringValue ?? "") wants: "
            + "\(operation["command"]?.stringValue ?? "") (in \(operation["environment"]?.stringValue ?? "")); \(what)"
    }

    static func show(_ operation: JSONValue, format: TextOrJSON) {
        switch format {
        case .json: Terminal.write(operation.serialized() + "\n")
        case .text:
            var text = line(operation) + "\n"
            if let reason = operation["decision"]?["reason"]?.stringValue { text += "  why: \(reason)\n" }
            for review in operation["reviews"]?.arrayValue ?? [] {
                text += "  \(review["verdict"]?.stringValue ?? "") by \(review["reviewer"]?.stringValue ?? "")"
                text += (review["comment"]?.stringValue).map { ": \($0)" } ?? ""
                text += "\n"
            }
            if let expires = operation["expires_at"]?.stringValue, operation["state"]?.stringValue == "granted" {
                text += "  granted: the exact command may run once until \(expires)\n"
            }
            Terminal.write(text)
        }
    }
}

struct OperationListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List operation requests, oldest first.")

    @Option(help: "Only these: pending, granted, used, rejected or expired.") var state: String?
    @OptionGroup var client: ClientOptions
    @OptionGroup var output: FormatOption

    func run() async throws {
        let path = "/api/v1/operations" + (state.map { "?state=\($0)" } ?? "")
        let page = try await client.client().get(path)
        switch output.format {
        case .json: Terminal.write(page.serialized() + "\n")
        case .text:
            let items = page["items"]?.arrayValue ?? []
            Terminal.write(items.isEmpty ? "no operation requests\n" : items.map(OperationCommand.line).joined(separator: "\n") + "\n")
        }
    }
}

struct OperationShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one operation request and its reviews.")

    @Argument(help: "The operation request's id.") var id: Int64
    @OptionGroup var client: ClientOptions
    @OptionGroup var output: FormatOption

    func run() async throws {
        OperationCommand.show(try await client.client().get("/api/v1/operations/\(id)"), format: output.format)
    }
}

struct OperationApproveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract: "Approve an operation request (only humans with role approver or admin count; never the agent's operator).")

    @Argument(help: "The operation request's id.") var id: Int64
    @Option(help: "A comment recorded with the approval.") var comment: String?
    @OptionGroup var client: ClientOptions
    @OptionGroup var output: FormatOption

    func run() async throws {
        var body: [(String, JSONValue)] = [("verdict", .string("approve"))]
        if let comment { body.append(("comment", .string(comment))) }
        OperationCommand.show(try await client.client().post("/api/v1/operations/\(id)/reviews", .object(body)), format: output.format)
    }
}

struct OperationRejectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reject", abstract: "Reject an operation request, saying why.")

    @Argument(help: "The operation request's id.") var id: Int64
    @Option(help: "Why (required).") var comment: String
    @OptionGroup var client: ClientOptions
    @OptionGroup var output: FormatOption

    func run() async throws {
        let body = JSONValue.object([("verdict", .string("reject")), ("comment", .string(comment))])
        OperationCommand.show(try await client.client().post("/api/v1/operations/\(id)/reviews", body), format: output.format)
    }
}
