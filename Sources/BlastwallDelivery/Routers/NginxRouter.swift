import BlastwallCore
import Foundation

/// nginx: writes the upstream with both versions' weights to an include file, checks the whole
/// configuration with `nginx -t`, reloads, and verifies with `nginx -T` that the loaded configuration holds
/// the new weights. A configuration nginx refuses is put back as it was.
public struct NginxRouter: TrafficRouter {
    public let settings: NginxRouterSettings

    public init(settings: NginxRouterSettings) {
        self.settings = settings
    }

    /// The upstream block; nginx weights start at 1, so a version at 0% is marked `down`.
    public func render(canaryWeight: Int) -> String {
        func server(_ address: String, _ weight: Int) -> String {
            weight == 0 ? "    server \(address) down;" : "    server \(address) weight=\(weight);"
        }
        return """
            # Written by Blastwall for rollouts; the next step overwrites it.
            upstream \(settings.upstream) {
            \(server(settings.stableAddress, 100 - canaryWeight))
            \(server(settings.canaryAddress, canaryWeight))
            }

            """
    }

    public func setCanaryWeight(_ canaryWeight: Int) async throws(RouterError) {
        let rendered = render(canaryWeight: canaryWeight)
        let previous = try? String(contentsOfFile: settings.includeFile, encoding: .utf8)
        if previous == rendered, (try? await self.canaryWeight()) == canaryWeight { return }
        try write(rendered)
        let test = try await nginx(["-t"])
        guard test.succeeded else {
            if let previous { try? write(previous) } else { try? FileManager.default.removeItem(atPath: settings.includeFile) }
            throw failure("nginx -t refused the new upstream: \(test.error.trimmed)", hint: "the previous include file was put back")
        }
        let reload = try await nginx(["-s", "reload"])
        guard reload.succeeded else {
            throw failure("nginx -s reload failed: \(reload.error.trimmed)", hint: "is nginx running with this configuration?")
        }
        let dump = try await nginx(["-T"])
        guard dump.succeeded, dump.output.contains(rendered.split(separator: "\n").dropFirst().joined(separator: "\n")) else {
            throw failure(
                "nginx -T does not show the new upstream '\(settings.upstream)'",
                hint: "is \(settings.includeFile) included in the http block?")
        }
    }

    /// Read back from the include file nginx loaded.
    public func canaryWeight() async throws(RouterError) -> Int {
        guard let text = try? String(contentsOfFile: settings.includeFile, encoding: .utf8) else {
            throw failure("\(settings.includeFile) cannot be read", hint: "no rollout step has written it yet")
        }
        for line in text.split(separator: "\n") {
            let words = line.split(whereSeparator: { $0 == " " || $0 == ";" })
            guard words.count >= 3, words[0] == "server", words[1] == settings.canaryAddress else { continue }
            if words[2] == "down" { return 0 }
            if words[2].hasPrefix("weight="), let weight = Int(words[2].dropFirst("weight=".count)) { return weight }
        }
        throw failure("\(settings.includeFile) has no server \(settings.canaryAddress)", hint: "it was edited by hand; set a weight again")
    }

    private func write(_ text: String) throws(RouterError) {
        do {
            try text.write(toFile: settings.includeFile, atomically: true, encoding: .utf8)
        } catch {
            throw failure(
                "cannot write \(settings.includeFile): \(error.localizedDescription)", hint: "check the folder exists and is writable")
        }
    }

    private func nginx(_ arguments: [String]) async throws(RouterError) -> ProgramRunner.Result {
        let config = settings.configFile.map { ["-c", $0] } ?? []
        do {
            return try await ProgramRunner.run([settings.binary] + config + arguments)
        } catch {
            throw failure("cannot run \(settings.binary): \(error)", hint: "install nginx or set 'binary' in the router")
        }
    }

    private func failure(_ message: String, hint: String) -> RouterError {
        RouterError(router: "nginx", message: message, hint: hint)
    }
}
