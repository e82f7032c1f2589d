import ArgumentParser
import BlastwallApp
import BlastwallClient
import BlastwallCore

extension IdentityKind: ExpressibleByArgument {}
extension Role: ExpressibleByArgument {}

struct IdentityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "identity", abstract: "Manage who may talk to the control plane.",
        subcommands: [IdentityCreateCommand.self, IdentityListCommand.self, IdentityRevokeCommand.self])
}

struct IdentityCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "create", abstract: "Create an identity and print its token (shown once).")

    @Argument(help: "The identity's name.") var name: String
    @Option(help: "human, ai or bot. AI and bot identities never count as approvers.") var kind: IdentityKind
    @Option(help: "viewer, engineer, approver, admin, ci or agent.") var role: Role
    @Option(name: .customLong("group"), help: "A team or group the identity belongs to (repeatable), e.g. @acme/payments or senior.")
    var groups: [String] = []
    @Option(name: .customLong("email"), help: "A git email of the identity (repeatable), to recognise self-approval.")
    var emails: [String] = []
    @Option(help: ArgumentHelp("The identity's GitHub login, so its reviews there count as its reviews.", valueName: "login"))
    var github: String?
    @Option(help: ArgumentHelp("The identity's GitLab username.", valueName: "login")) var gitlab: String?
    @Option(help: ArgumentHelp("The identity's Gitea or Forgejo login.", valueName: "login")) var gitea: String?
    @Option(
        help: ArgumentHelp(
            "For a ci identity: the Ed25519 key (PEM; only its public half is sent) whose signed reports servers without a mirror accept.",
            valueName: "key"))
    var attestationKey: String?
    @OptionGroup var client: ClientOptions
    @OptionGroup var output: FormatOption

    func run() async throws {
        var members: [(String, JSONValue)] = [
            ("name", .string(name)), ("kind", .string(kind.rawValue)), ("role", .string(role.rawValue)),
            ("groups", .array(groups.map(JSONValue.string))), ("emails", .array(emails.map(JSONValue.string))),
        ]
        let logins = [("github", github), ("gitlab", gitlab), ("gitea", gitea)].compactMap { forge, login in
            login.map { (forge, JSONValue.string($0)) }
        }
        if !logins.isEmpty { members.append(("forge_logins", .object(logins))) }
        if let attestationKey { members.append(("attestation_key", .string(try AuditFiles.verificationKey(attestationKey).pem))) }
        let body = JSONValue.object(members)
        let result = try await client.client().post("/api/v1/identities", body)
        switch output.format {
        case .json: Terminal.write(result.serialized() + "\n")
        case .text:
            Terminal.write("\(result["token"]?.stringValue ?? "")\n")
            Terminal.printError("created \(kind.rawValue) identity '\(name)' with role \(role.rawValue); the token is shown once")
        }
    }
}

struct IdentityListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List identities.")

    @OptionGroup var client: ClientOptions
    @OptionGroup var output: FormatOption

    func run() async throws {
        let api = try client.client()
        var items: [JSONValue] = []
        var after: Int64 = 0
        while true {
            let page = try await api.get("/api/v1/identities?limit=500&after=\(after)")
            items += page["items"]?.arrayValue ?? []
            guard case .int(let next)? = page["next_after"] else { break }
            after = next
        }
        switch output.format {
        case .json: Terminal.write(JSONValue.array(items).serialized() + "\n")
        case .text:
            Terminal.write("NAME\tKIND\tROLE\tGROUPS\n")
            for item in items {
                let revoked = item["revoked_at"]?.stringValue.map { "  revoked \($0)" } ?? ""
                let groups = item["groups"]?.arrayValue?.compactMap(\.stringValue).joined(separator: " ") ?? ""
                Terminal.write(
                    "\(item["name"]?.stringValue ?? "")\t\(item["kind"]?.stringValue ?? "")\t\(item["role"]?.stringValue ?? "")\t\(groups)\(revoked)\n"
                )
            }
        }
    }
}

struct IdentityRevokeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke an identity; its token stops working at once.")

    @Argument(help: "The identity's name.") var name: String
    @OptionGroup var client: ClientOptions
    @OptionGroup var output: FormatOption

    func run() async throws {
        let result = try await client.client().delete("/api/v1/identities/\(APIClient.escape(name))")
        Terminal.write(output.format == .json ? result.serialized() + "\n" : "revoked \(name)\n")
    }
}
