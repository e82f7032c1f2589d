import ArgumentParser
import BlastwallDemoApp
import Logging

struct DemoAppCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo-app",
        abstract: "Run a small HTTP service with Prometheus metrics (requests by version and status, a latency histogram) to roll out.")

    @Option(help: "Port to listen on (127.0.0.1).") var port: Int
    @Option(help: "The version this instance reports in its metrics.") var version: String
    @Option(help: "The service name in its metrics.") var service = "demo"
    @Option(help: "Share of requests answered 500, 0 to 1.") var errorRate = 0.0
    @Option(help: "Typical milliseconds added to each request.") var latencyMs = 0.0
    @Option(help: "Address to listen on.") var host = "127.0.0.1"

    func validate() throws {
        guard (0...1).contains(errorRate) else { throw ValidationError("--error-rate is \(errorRate), but must be between 0 and 1") }
        guard latencyMs >= 0 else { throw ValidationError("--latency-ms must be at least 0") }
        guard (1...65535).contains(port) else { throw ValidationError("--port must be between 1 and 65535") }
    }

    func run() async throws {
        try await DemoApp.run(
            DemoApp.Settings(host: host, port: port, service: service, version: version, errorRate: errorRate, latencyMs: latencyMs),
            logger: Logger(label: "blastwall.demo-app"))
    }
}
