/// Any other traffic manager (Kubernetes, a cloud load balancer): runs the user's program with
/// `BLASTWALL_ACTION=set`, `BLASTWALL_CANARY_WEIGHT`, `BLASTWALL_STABLE_WEIGHT` and `BLASTWALL_SERVICE` in its
/// environment. With `BLASTWALL_ACTION=get` it must print the canary's current weight.
public struct CommandRouter: TrafficRouter {
    public let arguments: [String]
    public let service: String

    public init(arguments: [String], service: String) {
        self.arguments = arguments
        self.service = service
    }

    public func setCanaryWeight(_ canaryWeight: Int) async throws(RouterError) {
        let result = try await run([
            "BLASTWALL_ACTION": "set", "BLASTWALL_CANARY_WEIGHT": String(canaryWeight),
            "BLASTWALL_STABLE_WEIGHT": String(100 - canaryWeight),
        ])
        guard result.succeeded else {
            throw RouterError(
                router: "command",
                message: "\(arguments[0]) exited with \(result.status) setting \(canaryWeight)%: \(result.error.trimmed)",
                hint: "the command must exit 0 once the weights are in place")
        }
    }

    public func canaryWeight() async throws(RouterError) -> Int {
        let result = try await run(["BLASTWALL_ACTION": "get"])
        guard result.succeeded, let weight = Int(result.output.trimmed), (0...100).contains(weight) else {
            throw RouterError(
                router: "command",
                message: "\(arguments[0]) did not print a weight for BLASTWALL_ACTION=get (printed '\(result.output.trimmed)')",
                hint: "print the canary's weight, 0 to 100, and exit 0")
        }
        return weight
    }

    private func run(_ environment: [String: String]) async throws(RouterError) -> ProgramRunner.Result {
        do {
            return try await ProgramRunner.run(arguments, environment: environment.merging(["BLASTWALL_SERVICE": service]) { $1 })
        } catch {
            throw RouterError(
                router: "command", message: "cannot run \(arguments[0]): \(error)", hint: "check the path and that it is executable")
        }
    }
}
