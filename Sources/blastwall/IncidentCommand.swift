import ArgumentParser
import BlastwallApp
import BlastwallClient
import BlastwallCore

/// `blastwall incident`: incidents from alerts or declared here, and what changed before them.
struct IncidentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "incident", abstract: "Incidents: open, list, show, resolve, and the suspect changes of each.",
        subcommands: [
            IncidentOpenCommand.self, IncidentListCommand.self, IncidentShowCommand.self, IncidentSuspectsCommand.self,
            IncidentRollbackCommand.self, IncidentConfirmCommand.self, IncidentResolveCommand.self, IncidentReportCommand.self,
        ])
}

enum SuspectsFormat: String, ExpressibleByArgument {
    case text, json, markdown
}

struct IncidentOpenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open", abstract: "Declare an incident; its top suspect is shown at once.")

    @Option(help: "The service that is broken, as blastwall.yml names it.") var service: String?
    @Option(help: "What is broken, in a line.") var title: String
    @Option(help: "How bad: page, critical, warning…") var severity: String?
    @Option(help: ArgumentHelp("When it began (RFC 3339), if before now.", valueName: "time")) var startedAt: String?
    @OptionGroup var client: ClientOptions
    @OptionGroup var output: FormatOption

    func run() async throws {
        var body: [(String, JSONValue)] = [("title", .string(title))]
        if let service { body.append(("service", .string(service))) }
        if let severity { body.append(("severity", .string(severity))) }
        if let startedAt { body.append(("started_at", .string(startedAt))) }
        let incident = try await client.client().post("/api/v1/incidents", .object(body))
        Terminal.write(output.format == .json ? incident.serialized() + "\n" : IncidentText.summary(incident))
    }
}

struct IncidentListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List incidents, newest first.")

    @Option(help: "Only open or resolved ones.") var state: String?
    @OptionGroup var client: ClientOptions
    @OptionGroup var output: FormatOption

    func run() async throws {
        let api = try client.client()
        var items: [JSONValue] = []
        var after: Int64 = 0
        while true {
            let page = try await api.get("/api/v1/incidents?limit=500&after=\(after)" + (state.map { "&state=\($0)" } ?? ""))
            items += page["items"]?.arrayValue ?? []
            guard case .int(let next)? = page["next_after"] else { break }
            after = next
        }
        items.reverse()
        switch output.format {
        case .json: Terminal.write(JSONValue.array(items).serialized() + "\n")
        case .text: Terminal.write(items.isEmpty ? "no incidents\n" : items.map(IncidentText.line).joined(separator: "\n") + "\n")
        }
    }
}

struct IncidentShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show an incident, its alerts and its top suspect.")

    @Argument(help: "The incident's id.") var id: Int64
    @OptionGroup var client: ClientOptions
    @OptionGroup var output: FormatOption

    func run() async throws {
        let incident = try await client.client().get("/api/v1/incidents/\(id)")
        Terminal.write(output.format == .json ? incident.serialized() + "\n" : IncidentText.summary(incident))
    }
}

struct IncidentSuspectsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "suspects", abstract: "Rank what changed before an incident, every term explained.")

    @Argument(help: "The incident's id.") var id: Int64
    @Option(help: "text, json or markdown.") var format: SuspectsFormat = .text
    @OptionGroup var client: ClientOptions

    func run() async throws {
        // Ranked again from the record as it is now: a change recorded late still counts.
        let incident = try await client.client().post("/api/v1/incidents/\(id)/suspects", .object([]))
        switch format {
        case .json: Terminal.write((incident["suspects"] ?? .object([])).serialized() + "\n")
        case .text: Terminal.write(IncidentText.line(incident) + "\n\n" + IncidentText.suspects(incident, markdown: false))
        case .markdown: Terminal.write(IncidentText.suspects(incident, markdown: true))
        }
    }
}

struct IncidentResolveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "resolve", abstract: "Mark an incident resolved now.")

    @Argument(help: "The incident's id.") var id: Int64
    @OptionGroup var client: ClientOptions
    @OptionGroup var output: FormatOption

    func run() async throws {
        let incident = try await client.client().post("/api/v1/incidents/\(id)/resolve", .object([]))
        Terminal.write(output.format == .json ? incident.serialized() + "\n" : IncidentText.line(incident) + "\n")
    }
}

struct IncidentRollbackCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback",
        abstract: "Roll back an incident's suspect as its kind needs: abort a running rollout, undo a finished one, flip a switch back.")

    @Argument(help: "The incident's id.") var id: Int64
    @Option(help: "The suspect's rank (1: the top one).") var suspect: Int = 1
    @OptionGroup var client: ClientOptions
    @OptionGroup var output: FormatOption

    func run() async throws {
        let outcome = try await client.client().post("/api/v1/incidents/\(id)/rollback?suspect=\(suspect)", .object([]))
        switch output.format {
        case .json: Terminal.write(outcome.serialized() + "\n")
        case .text:
            Terminal.write(
                "\(outcome["action"]?.stringValue ?? "") (suspect \(outcome["suspect"]?["reference"]?.stringValue ?? ""): "
                    + "\(outcome["suspect"]?["explanation"]?.stringValue ?? ""))\n")
        }
    }
}

struct IncidentConfirmCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "confirm", abstract: "Record which suspect caused the incident, for change failure rate and the ranking's accuracy.")

    @Argument(help: "The incident's id.") var id: Int64
    @Option(help: ArgumentHelp("The suspect that caused it, as ranked: rollout/42, switch/cart…", valueName: "reference")) var cause: String
    @OptionGroup var client: ClientOptions
    @OptionGroup var output: FormatOption

    func run() async throws {
        let incident = try await client.client().post("/api/v1/incidents/\(id)/confirm", .object([("cause", .string(cause))]))
        Terminal.write(output.format == .json ? incident.serialized() + "\n" : "incident \(id): cause confirmed, \(cause)\n")
    }
}

struct IncidentReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "A blameless post-incident record: times to detect, mitigate and restore, suspects, timeline, AI involvement.")

    @Argument(help: "The incident's id.") var id: Int64
    @Option(help: "markdown or json (the timeline it is written from).") var format: String = "markdown"
    @OptionGroup var client: ClientOptions

    func validate() throws {
        guard ["markdown", "json"].contains(format) else { throw ValidationError("--format is markdown or json, not '\(format)'") }
    }

    func run() async throws {
        let timeline = try await client.client().get("/api/v1/incidents/\(id)/timeline")
        Terminal.write(format == "json" ? timeline.serialized() + "\n" : IncidentReport.markdown(timeline))
    }
}
