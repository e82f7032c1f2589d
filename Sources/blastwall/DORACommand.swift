import ArgumentParser
import BlastwallApp
import BlastwallClient
import BlastwallCore

/// `blastwall dora`: deployment frequency, lead time, change failure rate and recovery time, split by provenance.
struct DORACommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dora",
        abstract: "DORA's four keys from the control plane's record, for human and AI-assisted work side by side (or by tier, service).")

    @Option(help: "How far back: 90d, 30d, 12h.") var since: String = "90d"
    @Option(help: "Only this service.") var service: String?
    @Option(help: "Only services of this tier.") var tier: Int?
    @Option(help: "Split by provenance, tier or service.") var by: String = "provenance"
    @OptionGroup var client: ClientOptions
    @OptionGroup var output: FormatOption

    func run() async throws {
        var query = "since=\(since)&by=\(by)"
        if let service { query += "&service=\(service)" }
        if let tier { query += "&tier=\(tier)" }
        let report = try await client.client().get("/api/v1/dora?\(query)")
        Terminal.write(output.format == .json ? report.serialized() + "\n" : DORAText.table(report))
    }
}
