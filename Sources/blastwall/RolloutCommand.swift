import ArgumentParser
import BlastwallApp
import BlastwallClient
import BlastwallCore
import Foundation

struct RolloutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollout", abstract: "Progressive delivery: ship a version in steps, analysed, rolled back by itself.",
        subcommands: [
            RolloutStartCommand.self, RolloutStatusCommand.self, RolloutWatchCommand.self, RolloutListCommand.self,
            RolloutActionCommand<Pause>.self, RolloutActionCommand<Resume>.self, RolloutActionCommand<Promote>.self,
            RolloutActionCommand<Abort>.self, RolloutUndoCommand.self,
        ])

    static func show(_ rollout: JSONValue, format: TextOrJSON) {
        switch format {
        case .json: Terminal.write(rollout.serialized() + "\n")
        case .text: Terminal.write(RolloutView.status(rollout, colour: Terminal.standardOutputSupportsColor))
        }
    }

    /// A rollout file, checked here so mistakes are reported with their line before anything is sent.
    static func readSpec(_ path: String) throws -> RolloutSpec {
        try RolloutFiles.read(path)
    }
}

struct RolloutStartCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start", abstract: "Start a rollout from a rollout file; refused when policy does not allow it.")
    @Option(name: .shortAndLong, help: "The rollout file (YAML or JSON).") var file: String
    @Flag(help: "Follow it with 'rollout watch' until it ends.") var watch = false
    @OptionGroup var client: ClientOptions
    @OptionGroup var output: FormatOption

    func run() async throws {
        let spec = try RolloutCommand.readSpec(file)
        let api = try client.client()
        let created = try await api.post("/api/v1/rollouts", spec.json)
        RolloutCommand.show(created, format: output.format)
        if watch, let id = created["id"]?.intValue { try await RolloutWatcher.watch(id: id, api: api) }
    }
}

struct RolloutStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Where a rollout stands, with its evidence.")
    @Argument(help: "The rollout's id.") var id: Int
    @OptionGroup var client: ClientOptions
    @OptionGroup var output: FormatOption

    func run() async throws {
        RolloutCommand.show(try await client.client().get("/api/v1/rollouts/\(id)"), format: output.format)
    }
}

struct RolloutWatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Follow a rollout live until it ends: step, weights, evidence, time in step, a progress bar.",
        discussion:
            "On a terminal the view redraws in place; otherwise a plain line is printed whenever something changes. Exit status: 0 promoted, 1 rolled back."
    )
    @Argument(help: "The rollout's id.") var id: Int
    @OptionGroup var client: ClientOptions

    func run() async throws {
        try await RolloutWatcher.watch(id: id, api: try client.client())
    }
}

/// Polls a rollout and draws it, until it is settled.
enum RolloutWatcher {
    static func watch(id: Int, api: APIClient) async throws {
        let live = isatty(STDOUT_FILENO) != 0 && ProcessInfo.processInfo.environment["TERM"] != "dumb"
        var previousLines = 0
        var log = RolloutProgressLog()
        let started = ContinuousClock.now
        while true {
            let rollout = try await api.get("/api/v1/rollouts/\(id)")
            if live {
                let view = RolloutView.status(rollout, colour: Terminal.standardOutputSupportsColor)
                // Move up over the previous drawing and clear it, then draw again.
                let clear = previousLines > 0 ? "\u{1B}[\(previousLines)F\u{1B}[J" : ""
                Terminal.write(clear + view)
                previousLines = view.split(separator: "\n", omittingEmptySubsequences: false).count - 1
            } else {
                if let line = log.line(for: rollout, at: (ContinuousClock.now - started) / .seconds(1)) { Terminal.write(line + "\n") }
            }
            if RolloutView.isSettled(rollout) {
                if !live { Terminal.write(RolloutView.status(rollout)) }
                if rollout["phase"]?.stringValue == "rolled_back" { throw ExitCode(1) }
                return
            }
            try await Task.sleep(for: .milliseconds(500))
        }
    }
}

struct RolloutListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Recent rollouts, newest first.")
    @Option(help: "Only this service's.") var service: String?
    @Option(help: "At most this many.") var limit = 20
    @OptionGroup var client: ClientOptions
    @OptionGroup var output: FormatOption

    func run() async throws {
        var path = "/api/v1/rollouts?limit=\(limit)"
        if let service { path += "&service=\(APIClient.escape(service))" }
        let list = try await client.client().get(path)
        switch output.format {
        case .json: Terminal.write(list.serialized() + "\n")
        case .text:
            let items = list["items"]?.arrayValue ?? []
            if items.isEmpty { Terminal.write("no rollouts\n") }
            for item in items { Terminal.write(RolloutView.headline(item) + "\n") }
        }
    }
}

/// The four commands that act on one rollout by id.
protocol RolloutAction {
    static var name: String { get }
    static var abstract: String { get }
}

enum Pause: RolloutAction {
    static let name = "pause"
    static let abstract = "Hold a rollout at its weight; analysis goes on and can still roll it back."
}

enum Resume: RolloutAction {
    static let name = "resume"
    static let abstract = "Continue a paused rollout; it needs fresh evidence before its next step."
}

enum Promote: RolloutAction {
    static let name = "promote"
    static let abstract = "Skip the remaining steps and send all traffic to the new version."
}

enum Abort: RolloutAction {
    static let name = "abort"
    static let abstract = "Roll back now: all traffic to stable."
}

struct RolloutActionCommand<Action: RolloutAction>: AsyncParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(commandName: Action.name, abstract: Action.abstract) }
    @Argument(help: "The rollout's id.") var id: Int
    @OptionGroup var client: ClientOptions
    @OptionGroup var output: FormatOption

    func run() async throws {
        RolloutCommand.show(try await client.client().post("/api/v1/rollouts/\(id)/\(Action.name)", .object([])), format: output.format)
    }
}

struct RolloutUndoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "undo", abstract: "Send a service's traffic back to its last good version at once, skipping steps and analysis.")
    @Argument(help: "The service.") var service: String
    @OptionGroup var client: ClientOptions
    @OptionGroup var output: FormatOption

    func run() async throws {
        RolloutCommand.show(
            try await client.client().post("/api/v1/services/\(APIClient.escape(service))/undo", .object([])), format: output.format)
    }
}
