import ArgumentParser
import BlastwallClient
import Foundation

/// How commands reach the control plane: flags, or BLASTWALL_SERVER and BLASTWALL_TOKEN.
struct ClientOptions: ParsableArguments {
    @Option(help: "The control plane's URL (default: $BLASTWALL_SERVER).")
    var server: String?

    @Option(help: "The API token (default: $BLASTWALL_TOKEN).")
    var token: String?

    func client() throws -> APIClient {
        let environment = ProcessInfo.processInfo.environment
        guard let server = server ?? environment["BLASTWALL_SERVER"], !server.isEmpty else {
            throw ValidationError("no server: pass --server URL or set BLASTWALL_SERVER")
        }
        return APIClient(server: server, token: token ?? environment["BLASTWALL_TOKEN"])
    }
}

/// `--format text|json` for commands that print results.
struct FormatOption: ParsableArguments {
    @Option(help: "Output format: text or json.")
    var format: TextOrJSON = .text
}
