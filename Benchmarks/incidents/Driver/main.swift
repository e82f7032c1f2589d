import BlastwallControlPlane
import BlastwallCore
import BlastwallStorage
import BlastwallTestSupport
import CEL
import Foundation
import Logging

// The incidents benchmark, in process on SQLite: a history of ROLLOUTS rollouts over 90 days on SERVICES
// services (each depending on the next few), each shipping its own change (one in three AI-assisted, its
// first commit a day or so before), then
//
//   suspects       an incident declared at a random time of the last 90 days: suspects gathered and ranked,
//                  the incident stored — next to the floor, counting the window's rollouts
//   alert          an Alertmanager notification for a new group, received and ranked (what the webhook does)
//   DORA           the four keys over 90 days, by provenance — next to counting the rollouts
//   over HTTP      with BLASTWALL (the release binary): `blastwall serve` on the same history, an Alertmanager
//                  notification POSTed and the incident's top suspect read back with GET, as a page would
//
// Usage: blastwall-incident-bench [ROLLOUTS] [SERVICES] [INCIDENTS] [RESULTS.json] [BLASTWALL]

let arguments = CommandLine.arguments
let rolloutCount = arguments.count > 1 ? Int(arguments[1]) ?? 100_000 : 100_000
let serviceCount = arguments.count > 2 ? Int(arguments[2]) ?? 2_000 : 2_000
let incidentCount = arguments.count > 3 ? Int(arguments[3]) ?? 200 : 200
let resultsPath = arguments.count > 4 ? arguments[4] : nil
let blastwall = arguments.count > 5 ? arguments[5] : nil

func milliseconds(_ duration: Swift.Duration) -> Double {
    Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
}

func percentile(_ values: [Double], _ fraction: Double) -> Double {
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, max(0, Int((Double(sorted.count) * fraction).rounded(.up)) - 1))]
}

func time<T>(_ body: () async throws -> T) async rethrows -> (T, Double) {
    let started = ContinuousClock.now
    let value = try await body()
    return (value, milliseconds(ContinuousClock.now - started))
}

var logger = Logger(label: "incident-bench")
logger.logLevel = .error
let path = FileManager.default.temporaryDirectory.appendingPathComponent("incident-bench-\(UUID().uuidString).sqlite").path
defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
let database = try await DatabaseURL.sqlite(path: path).open(logger: logger)
let services = (0..<serviceCount).map { index in
    Service(
        name: "svc-\(index)", paths: [try! PathPattern("/svc-\(index)/")], tier: 1 + index % 3,
        dependsOn: (1...3).map { "svc-\((index + $0) % serviceCount)" })
}
let controlPlane = ControlPlane(database: database, configuration: Configuration(services: services), logger: logger)
try await controlPlane.start()
let rootToken = try await controlPlane.bootstrap(adminName: "root").token
let root = try controlPlane.authenticate(token: rootToken)

// The history: rollouts spread evenly over 90 days, most promoted, one in twenty rolled back.
let now = Date().timeIntervalSince1970
let span = 90.0 * 86_400
let (_, seedMilliseconds) = try await time {
    var index = 0
    while index < rolloutCount {
        let batch = min(1_000, rolloutCount - index)
        let first = index
        _ = try await database.transaction { transaction in
            for offset in 0..<batch {
                let number = first + offset
                let finished = now - span + span * Double(number) / Double(rolloutCount)
                let spec = try RolloutSpecParser.parse(
                    """
                    service: svc-\(number % serviceCount)
                    version: v\(number)
                    stable: v\(number - 1)
                    artifact: sha256:\(String(repeating: "a", count: 64))
                    router: {type: flags, flag: f\(number % serviceCount)}
                    metrics: {provider: push}
                    steps: [{weight: 10, duration: 10m}]
                    """, file: "bench")
                var state = RolloutState()
                (state.phase, state.startedAt, state.stepStartedAt, state.finishedAt, state.canaryWeight) = (
                    number % 20 == 0 ? .rolledBack : .promoted, finished - 600, finished - 600, finished, number % 20 == 0 ? 0 : 100
                )
                let stamp = Timestamp(nanoseconds: Int128(finished * 1e9))!.rfc3339
                let authored = Timestamp(nanoseconds: Int128((finished - 3_600 - Double(number % 48) * 1_800) * 1e9))!.rfc3339
                let change = try await ChangeStore.upsert(
                    transaction,
                    ChangeRecord(
                        id: 0, repository: "acme/svc-\(number % serviceCount)", branch: "change-\(number)", head: "h\(number)", base: nil,
                        submittedBy: "ci", decision: "allow", state: "satisfied", services: ["svc-\(number % serviceCount)"],
                        provenance: number % 3 == 0 ? "ai-assisted" : "human", gate: .object([]),
                        report: .object([
                            ("commits", .array([.object([("sha", .string("c\(number)")), ("authored_at", .string(authored))])]))
                        ]),
                        analysis: .server, createdAt: stamp, updatedAt: stamp),
                    time: stamp)
                _ = try await RolloutStore.insert(
                    transaction,
                    RolloutRecord(
                        spec: spec, changeID: change.id, drill: false, state: state, analyzer: CanaryAnalyzer(settings: spec.analysis),
                        createdBy: "bench", createdAt: stamp, updatedAt: stamp))
            }
        }
        index += batch
    }
}
print(String(format: "seeded %d rollouts on %d services in %.1f s", rolloutCount, serviceCount, seedMilliseconds / 1000))

// Suspects of incidents at random times, each next to the floor: counting the window's rollouts.
var generator = SystemRandomNumberGenerator()
var suspects: [Double] = []
var floors: [Double] = []
for _ in 0..<incidentCount {
    let at = now - Double.random(in: 86_400...span, using: &generator)
    let start = Timestamp(nanoseconds: Int128(at * 1e9))!
    let windowStart = Timestamp(nanoseconds: Int128((at - 86_400) * 1e9))!.rfc3339
    let (_, floor) = try await time {
        try await database.query(
            "SELECT COUNT(*) AS n FROM rollouts WHERE updated_at >= $1 AND updated_at < $2", [.text(windowStart), .text(start.rfc3339)])
    }
    floors.append(floor)
    let (_, elapsed) = try await time {
        try await controlPlane.declareIncident(
            service: "svc-\(Int.random(in: 0..<serviceCount, using: &generator))", title: "bench", severity: nil,
            startedAt: start.rfc3339, by: root)
    }
    suspects.append(elapsed)
}
print(
    String(
        format: "suspects (declare)     p50 %7.2f ms  p99 %7.2f ms  (floor: the window's count p99 %.2f ms)", percentile(suspects, 0.5),
        percentile(suspects, 0.99), percentile(floors, 0.99)))

// An Alertmanager notification of a new group, as the webhook receives it.
var alerts: [Double] = []
for number in 0..<incidentCount {
    let starts = Timestamp(nanoseconds: Int128((now - 30) * 1e9))!.rfc3339
    let text = """
        {"version": "4", "groupKey": "bench-\(number)", "status": "firing", "commonLabels": {"service": "svc-\(number % serviceCount)"},
         "alerts": [{"status": "firing", "fingerprint": "f\(number)", "startsAt": "\(starts)", "endsAt": "0001-01-01T00:00:00Z", "labels": {}}]}
        """
    let (_, elapsed) = try await time { try await controlPlane.receiveAlerts(try AlertmanagerNotification.parse(text)) }
    alerts.append(elapsed)
}
print(String(format: "alert → top suspect    p50 %7.2f ms  p99 %7.2f ms", percentile(alerts, 0.5), percentile(alerts, 0.99)))

// DORA over 90 days, next to counting the rollouts.
var doras: [Double] = []
var counts: [Double] = []
for _ in 0..<5 {
    let (_, count) = try await time { try await database.query("SELECT COUNT(*) AS n FROM rollouts") }
    counts.append(count)
    let (_, elapsed) = try await time { try await controlPlane.dora(days: 90, service: nil, tier: nil, by: .provenance, actor: root) }
    doras.append(elapsed)
}
print(
    String(
        format: "DORA over 90 days      median %7.1f ms  max %7.1f ms  (floor: counting them %.1f ms)", percentile(doras, 0.5),
        doras.max()!, percentile(counts, 0.5)))

// Through the release server on the same history: an Alertmanager notification POSTed, then the incident
// read back with its top suspect — what a page or `incident show` does after Alertmanager posts.
try await database.close()
var overHTTP: [Double] = []
if let blastwall {
    let work = FileManager.default.temporaryDirectory.appendingPathComponent("incident-bench-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: work) }
    let alertmanagerToken = UUID().uuidString
    let yaml =
        "services:\n"
        + services.map {
            "  \($0.name): {paths: [\"/\($0.name)/\"], tier: \($0.tier), depends_on: [\($0.dependsOn.joined(separator: ", "))]}"
        }
        .joined(separator: "\n") + "\n"
    try Data(yaml.utf8).write(to: URL(fileURLWithPath: work + "/blastwall.yml"))
    try Data(alertmanagerToken.utf8).write(to: URL(fileURLWithPath: work + "/alertmanager-token"))
    let port = freeLoopbackPort()
    let server = Process()
    server.executableURL = URL(fileURLWithPath: blastwall)
    server.arguments = [
        "serve", "--listen", "127.0.0.1:\(port)", "--database", path, "--config", work + "/blastwall.yml",
        "--alertmanager-token-file", work + "/alertmanager-token",
    ]
    server.standardOutput = FileHandle.nullDevice
    server.standardError = FileHandle.nullDevice
    try server.run()
    defer { server.terminate() }
    guard await waitForPort(port, timeout: 60) else { fatalError("blastwall serve did not start") }
    let base = "http://127.0.0.1:\(port)/api/v1/incidents"
    for number in 0..<incidentCount {
        let starts = Timestamp(nanoseconds: Int128((Date().timeIntervalSince1970 - 30) * 1e9))!.rfc3339
        let text = """
            {"version": "4", "groupKey": "http-\(number)", "status": "firing", "commonLabels": {"service": "svc-\(number % serviceCount)"},
             "alerts": [{"status": "firing", "fingerprint": "h\(number)", "startsAt": "\(starts)", "endsAt": "0001-01-01T00:00:00Z", "labels": {}}]}
            """
        let (_, elapsed) = try await time {
            let posted = try await HTTP.send(
                "POST", base + "/alertmanager", body: text, headers: ["Authorization": "Bearer \(alertmanagerToken)"])
            guard posted.status == 200, let id = (try? JSONParser.parse(posted.body))?["incident"]?.intValue else {
                fatalError("the notification was not taken: \(posted.status) \(posted.body)")
            }
            let shown = try await HTTP.send("GET", base + "/\(id)", headers: ["Authorization": "Bearer \(rootToken)"])
            guard shown.status == 200, (try? JSONParser.parse(shown.body))?["top_suspect"]?["reference"] != nil else {
                fatalError("incident \(id) shows no top suspect: \(shown.status) \(shown.body.prefix(300))")
            }
        }
        overHTTP.append(elapsed)
    }
    print(
        String(
            format: "alert → top suspect over HTTP (release server)  p50 %7.2f ms  p99 %7.2f ms", percentile(overHTTP, 0.5),
            percentile(overHTTP, 0.99)))
}

if let resultsPath {
    var results: [String: Any] = [
        "rollouts": rolloutCount, "services": serviceCount, "incidents": incidentCount,
        "suspects_ms": ["p50": percentile(suspects, 0.5), "p99": percentile(suspects, 0.99), "floor_p99": percentile(floors, 0.99)],
        "alert_to_top_suspect_ms": ["p50": percentile(alerts, 0.5), "p99": percentile(alerts, 0.99)],
        "dora_90_days_ms": ["median": percentile(doras, 0.5), "max": doras.max()!, "floor_median": percentile(counts, 0.5)],
        "targets": ["suspects_p99_ms": 50, "dora_ms": 1000, "alert_to_top_suspect_ms": 1000],
    ]
    if !overHTTP.isEmpty {
        results["alert_to_top_suspect_over_http_ms"] = ["p50": percentile(overHTTP, 0.5), "p99": percentile(overHTTP, 0.99)]
    }
    try JSONSerialization.data(withJSONObject: results, options: [.prettyPrinted, .sortedKeys]).write(to: URL(fileURLWithPath: resultsPath))
}
