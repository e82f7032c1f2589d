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
        guard server.hasPrefix("http://") || server.hasPrefix("https://") else {
            throw ValidationError("the server '\(server)' needs a scheme: write http://\(server) (or https://)")
        }
        let token = token ?? environment["BLASTWALL_TOKEN"]
        if let token, token.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw ValidationError("the token is empty: pass --token TOKEN or set BLASTWALL_TOKEN (identity create prints one)")
        }
        if let token, token.contains(where: { $0.isNewline || $0 == " " }) {
            throw ValidationError("the token contains spaces or line breaks; pass it exactly as identity create printed it")
        }
        return APIClient(server: server, token: token)
    }
}

/// `--format text|json` for commands that print results.
struct FormatOption: ParsableArguments {
    @Option(help: "Output format: text or json.")
    var format: TextOrJSON = .text
}
