import AsyncHTTPClient
import BlastwallClient
import BlastwallCore
import Foundation
import NIOCore

/// `blastwall drill`: makes a canary fail on purpose, rolls it out, and reports how fast Blastwall noticed and
/// recovered. A drill passes when the rollout was rolled back by analysis; the server records it in the audit log.
public enum Drill {
    public struct Injection: Sendable, Equatable {
        public var errorRate: Double = 0
        public var latencyMs: Double = 0

        public init(errorRate: Double = 0, latencyMs: Double = 0) {
            self.errorRate = errorRate
            self.latencyMs = latencyMs
        }

        /// `error-rate=0.05`, `latency-ms=200`; several may be given.
        public static func parse(_ items: [String]) throws(BlastwallError) -> Injection {
            var injection = Injection()
            for item in items {
                let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2, let value = Double(parts[1]), value.isFinite else {
                    throw .input("--inject '\(item)' must be KEY=NUMBER: error-rate=0.05 or latency-ms=200")
                }
                switch parts[0] {
                case "error-rate" where (0...1).contains(value): injection.errorRate = value
                case "latency-ms" where value >= 0 && value <= 60_000: injection.latencyMs = value
                case "error-rate", "latency-ms":
                    throw .input("--inject \(parts[0]) is \(parts[1]), out of range (error-rate 0 to 1, latency-ms 0 to 60000)")
                default: throw .input("--inject knows error-rate and latency-ms, not '\(parts[0])'")
                }
            }
            if injection == Injection() { throw .input("--inject nothing: give error-rate=R or latency-ms=L") }
            return injection
        }

        var json: JSONValue { .object([("error_rate", .double(errorRate)), ("latency_ms", .double(latencyMs))]) }
    }

    public struct Report: Sendable {
        public var rollout: JSONValue
        public var rolledBack: Bool {
            rollout["phase"]?.stringValue == "rolled_back" && rollout["rollback_cause"]?.stringValue == "analysis_failed"
        }

        public var text: String {
            let id = rollout["id"]?.intValue ?? 0
            guard rolledBack else {
                return "drill #\(id) FAILED: the faulty canary was not rolled back by analysis (\(rollout["phase"]?.stringValue ?? "?"))\n"
            }
            let detect = rollout["time_to_detect_s"]?.doubleValue.map { String(format: "%.1f s", $0) } ?? "n/a"
            let recover = rollout["time_to_recover_s"]?.doubleValue.map { String(format: "%.2f s", $0) } ?? "n/a"
            return "drill #\(id) passed: rolled back automatically; time to detect \(detect), time to recover \(recover)\n"
                + "  reason: \(rollout["rollback_reason"]?.stringValue ?? "")\n"
        }

        public var json: JSONValue {
            .object([
                ("drill", rollout["id"] ?? .null), ("passed", .bool(rolledBack)), ("phase", rollout["phase"] ?? .null),
                ("time_to_detect_s", rollout["time_to_detect_s"] ?? .null), ("time_to_recover_s", rollout["time_to_recover_s"] ?? .null),
                ("reason", rollout["rollback_reason"] ?? .null),
            ])
        }
    }

    /// Injects the fault into the canary (its `/_blastwall/fault` endpoint), runs the drill rollout until it
    /// settles, and always takes the fault away again.
    public static func run(
        spec: RolloutSpec, injection: Injection, target: String, api: APIClient, timeoutSeconds: Double,
        progress: @Sendable (String) -> Void
    ) async throws(BlastwallError) -> Report {
        try await setFault(injection, target: target)
        let outcome: Result<Report, BlastwallError>
        do {
            let created = try await api.post("/api/v1/drills", spec.json)
            guard let id = created["id"]?.intValue else { throw BlastwallError.input("the server did not return the drill's id") }
            outcome = .success(try await follow(id: id, api: api, timeoutSeconds: timeoutSeconds, progress: progress))
        } catch {
            outcome = .failure(BlastwallError.from(error))
        }
        try? await setFault(Injection(), target: target)
        return try outcome.get()
    }

    private static func follow(id: Int, api: APIClient, timeoutSeconds: Double, progress: @Sendable (String) -> Void) async throws
        -> Report
    {
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        var log = RolloutProgressLog()
        let started = ContinuousClock.now
        while true {
            let rollout = try await api.get("/api/v1/rollouts/\(id)")
            if let line = log.line(for: rollout, at: (ContinuousClock.now - started) / .seconds(1)) { progress(line) }
            if RolloutView.isSettled(rollout) { return Report(rollout: rollout) }
            guard Date() < deadline else {
                _ = try? await api.post("/api/v1/rollouts/\(id)/abort", .object([]))
                throw BlastwallError.input("drill \(id) did not end within \(Int(timeoutSeconds)) s; it was aborted")
            }
            try await Task.sleep(for: .milliseconds(250))
        }
    }

    static func setFault(_ injection: Injection, target: String) async throws(BlastwallError) {
        let url = (target.hasSuffix("/") ? String(target.dropLast()) : target) + "/_blastwall/fault"
        var request = HTTPClientRequest(url: url)
        request.method = .PUT
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: injection.json.serialized(pretty: false)))
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
            guard response.status.code == 204 else {
                throw BlastwallError.input(
                    "the canary at \(target) refused the fault (HTTP \(response.status.code)); it must serve PUT /_blastwall/fault as blastwall demo-app does"
                )
            }
        } catch let error as BlastwallError {
            throw error
        } catch {
            throw .input("cannot reach the canary at \(target) to inject the fault: \(error)")
        }
    }
}
