import BlastwallControlPlane
import BlastwallCore
import BlastwallStorage
import BlastwallTestSupport
import CEL
import Foundation
import Logging

// The dashboard benchmark: CHANGES changes (one in three AI-assisted, one in five still pending), ROLLOUTS
// rollouts (a few running, one with 300 ticks of analysis), AUDIT audit events, incidents with suspects and
// kill switches, seeded in SQLite; then the release `blastwall serve` on that database, and every page
// requested REQUESTS times with a signed-in session, next to the floor: a static asset through the same
// server and the same HTTP hop. Reported: each page's p50 and p99, and its p99 as a multiple of the floor's.
//
// Usage: blastwall-dashboard-bench BLASTWALL [CHANGES] [ROLLOUTS] [AUDIT] [REQUESTS] [RESULTS.json]

let arguments = CommandLine.arguments
guard arguments.count > 1 else {
    fatalError("usage: blastwall-dashboard-bench BLASTWALL [CHANGES] [ROLLOUTS] [AUDIT] [REQUESTS] [RESULTS]")
}
let blastwall = arguments[1]
let changeCount = arguments.count > 2 ? Int(arguments[2]) ?? 10_000 : 10_000
let rolloutCount = arguments.count > 3 ? Int(arguments[3]) ?? 1_000 : 1_000
let auditCount = arguments.count > 4 ? Int(arguments[4]) ?? 100_000 : 100_000
let requestCount = arguments.count > 5 ? Int(arguments[5]) ?? 200 : 200
let resultsPath = arguments.count > 6 ? arguments[6] : nil
let serviceCount = 200

func milliseconds(_ duration: Swift.Duration) -> Double {
    Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
}

func percentile(_ values: [Double], _ fraction: Double) -> Double {
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, max(0, Int((Double(sorted.count) * fraction).rounded(.up)) - 1))]
}

@Sendable func stamp(_ seconds: Double) -> String { Timestamp(nanoseconds: Int128(seconds * 1e9))!.rfc3339 }

var logger = Logger(label: "dashboard-bench")
logger.logLevel = .error
let work = FileManager.default.temporaryDirectory.appendingPathComponent("dashboard-bench-\(UUID().uuidString)").path
try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: work) }
let path = work + "/control.sqlite"
let database = try await DatabaseURL.sqlite(path: path).open(logger: logger)
let services = (0..<serviceCount).map { index in
    Service(
        name: "svc-\(index)", paths: [try! PathPattern("/svc-\(index)/")], owners: ["@team-\(index % 20)"], tier: 1 + index % 3,
        dependsOn: [(index + 1) % serviceCount, (index + 2) % serviceCount].map { "svc-\($0)" })
}
let controlPlane = ControlPlane(database: database, configuration: Configuration(services: services), logger: logger)
try await controlPlane.start()
let rootToken = try await controlPlane.bootstrap(adminName: "root").token
let root = try controlPlane.authenticate(token: rootToken)
let now = Date().timeIntervalSince1970
let started = ContinuousClock.now

// Changes over the last 30 days, each with a report as `check` writes one.
var index = 0
while index < changeCount {
    let batch = min(1_000, changeCount - index)
    let first = index
    _ = try await database.transaction { transaction in
        for number in first..<first + batch {
            let service = "svc-\(number % serviceCount)"
            let time = stamp(now - 30 * 86_400 * Double(changeCount - number) / Double(changeCount))
            let provenance = number % 3 == 0 ? "ai-assisted" : "human"
            let pending = number % 5 == 0
            let report: JSONValue = .object([
                ("provenance", .object([("kind", .string(provenance)), ("tools", .array(number % 3 == 0 ? [.string("claude")] : []))])),
                ("risk", .object([("score", .int(Int64(number % 90))), ("level", .string(number % 90 > 60 ? "high" : "medium"))])),
                ("blast_radius", .object([("dependents", .array([.string("svc-\((number + 1) % serviceCount)")]))])),
                (
                    "commits",
                    .array([.object([("sha", .string("c\(number)")), ("author", .object([("name", .string("Author \(number % 50)"))]))])])
                ),
                ("files", .array((0..<5).map { .object([("path", .string("/\(service)/file-\($0).swift")), ("classes", .array([]))]) })),
            ])
            let gate: JSONValue = .object([
                ("decision", .string("review")), ("requirements", .object([("approvals", .int(2)), ("owners_mode", .string("all"))])),
                ("owners", .object([(service, .array([.string("@team-\(number % 20)")]))])),
                (
                    "authors",
                    .array([.object([("name", .string("Author \(number % 50)")), ("email", .string("a\(number % 50)@x.example"))])])
                ),
            ])
            _ = try await ChangeStore.upsert(
                transaction,
                ChangeRecord(
                    id: 0, repository: "acme/\(service)", branch: "change-\(number)", head: "h\(number)", base: "b\(number)",
                    submittedBy: "ci", decision: "review", state: pending ? "pending" : "satisfied", services: [service],
                    provenance: provenance, gate: gate, report: report, analysis: .server, createdAt: time, updatedAt: time),
                time: time)
        }
    }
    index += batch
}

// Rollouts over the same month; the last five still running; the last one with 300 ticks.
let activeID: Int64 = try await database.transaction { transaction in
    var last: Int64 = 0
    for number in 0..<rolloutCount {
        let spec = try RolloutSpecParser.parse(
            """
            service: svc-\(number % serviceCount)
            version: v\(number)
            stable: v\(number - 1)
            artifact: sha256:\(String(repeating: "a", count: 64))
            router: {type: flags, flag: f\(number)}
            metrics: {provider: push}
            steps: [{weight: 10, duration: 10m}, {weight: 50, duration: 10m}]
            """, file: "bench")
        let finished = now - 30 * 86_400 * Double(rolloutCount - number) / Double(rolloutCount)
        let running = number >= rolloutCount - 5
        var state = RolloutState()
        state.phase = running ? .paused : number % 20 == 0 ? .rolledBack : .promoted
        (state.startedAt, state.stepStartedAt, state.canaryWeight) = (finished - 600, finished - 300, running ? 10 : 100)
        state.finishedAt = running ? nil : finished
        let record = try await RolloutStore.insert(
            transaction,
            RolloutRecord(
                spec: spec, changeID: Int64(number % changeCount + 1), drill: false, state: state,
                analyzer: CanaryAnalyzer(settings: spec.analysis), createdBy: "bench", createdAt: stamp(finished - 600),
                updatedAt: stamp(finished)))
        last = record.id
    }
    for tick in 0..<300 {
        let time = now - 3_000 + Double(tick) * 10
        let evidence = AnalysisEvidence(
            time: time, canary: VersionCounts(requests: 100 * (tick + 1), errors: tick / 10),
            baseline: VersionCounts(requests: 900 * (tick + 1), errors: tick / 5),
            errors: try JSONDecoder().decode(
                TestEvidence.self,
                from: Data(
                    """
                    {"canaryEvents": \(tick / 10), "canaryRequests": \(100 * (tick + 1)), "baselineEvents": \(tick / 5),
                     "baselineRequests": \(900 * (tick + 1)), "observedRatio": 1.1, "logEvidence": \(Double(tick % 40) / 10),
                     "logThreshold": 3, "alpha": 0.05}
                    """.utf8)))
        try await RolloutStore.appendTick(
            transaction, rollout: last, tick: Int64(tick + 1), time: stamp(time), step: 0, canaryWeight: 10,
            result: AnalysisResult(verdict: .pass, reason: "no regression found", evidence: evidence))
    }
    return last
}

// The audit log: what the seeded history would have written, chained.
index = 0
while index < auditCount {
    let batch = min(2_000, auditCount - index)
    let first = index
    _ = try await database.transaction { transaction in
        for number in first..<first + batch {
            _ = try await AuditLog.append(
                transaction, time: stamp(now - 30 * 86_400 + Double(number) * 20), actor: "user-\(number % 40)",
                action: ["change.submitted", "change.approved", "rollout.step", "switch.flipped"][number % 4],
                subject: "change/\(number % changeCount + 1)", payload: .object([("n", .int(Int64(number)))]), notifyingOthers: false)
        }
    }
    index += batch
}

for number in 0..<20 { _ = try await controlPlane.createSwitch(named: "switch-\(number)", by: root) }
var incidentID: Int64 = 0
for number in 0..<20 {
    incidentID =
        try await controlPlane.declareIncident(
            service: "svc-\(number)", title: "incident \(number)", severity: "page", startedAt: stamp(now - Double(number) * 3_600),
            by: root
        ).incident.id
}
let (cookie, _) = try await controlPlane.signIn(token: rootToken, lifetime: .init())
try await database.close()
print(
    String(
        format: "seeded %d changes, %d rollouts, %d audit events in %.1f s", changeCount, rolloutCount, auditCount,
        milliseconds(ContinuousClock.now - started) / 1000))

let port = freeLoopbackPort()
let server = Process()
server.executableURL = URL(fileURLWithPath: blastwall)
server.arguments = ["serve", "--listen", "127.0.0.1:\(port)", "--database", path]
server.standardOutput = FileHandle.nullDevice
server.standardError = FileHandle(forWritingAtPath: "/dev/null")
try server.run()
defer { server.terminate() }
guard await waitForPort(port, timeout: 60) else { fatalError("blastwall serve did not start") }
let base = "http://127.0.0.1:\(port)"
let headers = ["Cookie": "blastwall_session=\(cookie)", "Accept": "text/html"]

func measure(_ path: String) async throws -> [Double] {
    var times: [Double] = []
    for round in 0..<(requestCount + 5) {
        let begun = ContinuousClock.now
        let reply = try await HTTP.send("GET", base + path, headers: headers)
        let elapsed = milliseconds(ContinuousClock.now - begun)
        guard reply.status == 200 else { fatalError("\(path) answered \(reply.status): \(reply.body.prefix(400))") }
        if round >= 5 { times.append(elapsed) }  // the first few warm the server's caches
    }
    return times
}

let pages = [
    "/ui/changes", "/ui/changes?provenance=ai-assisted&state=pending", "/ui/changes/\(changeCount / 2)", "/ui/approvals",
    "/ui/rollouts", "/ui/rollouts/\(activeID)", "/ui/incidents", "/ui/incidents/\(incidentID)", "/ui/dora", "/ui/switches",
    "/ui/audit", "/ui/audit?action=switch.flipped&actor=user-3",
]
let floor = try await measure("/ui/assets/dashboard.css")
let floorP99 = percentile(floor, 0.99)
print(String(format: "%-48@ p50 %6.2f ms  p99 %6.2f ms", "floor: a static asset" as NSString, percentile(floor, 0.5), floorP99))
var results: [[String: Any]] = []
for page in pages {
    let times = try await measure(page)
    let p99 = percentile(times, 0.99)
    print(
        String(format: "%-48@ p50 %6.2f ms  p99 %6.2f ms  (%.1f× the floor)", page as NSString, percentile(times, 0.5), p99, p99 / floorP99)
    )
    results.append(["page": page, "p50_ms": percentile(times, 0.5), "p99_ms": p99, "p99_over_floor": p99 / floorP99])
}
let worst = results.map { $0["p99_ms"] as! Double }.max()!
print(String(format: "worst page p99 %.2f ms (target < 50 ms)", worst))
if let resultsPath {
    let document: [String: Any] = [
        "changes": changeCount, "rollouts": rolloutCount, "audit_events": auditCount, "requests_per_page": requestCount,
        "floor_ms": ["p50": percentile(floor, 0.5), "p99": floorP99], "pages": results, "worst_p99_ms": worst, "target_p99_ms": 50,
    ]
    try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys]).write(
        to: URL(fileURLWithPath: resultsPath))
}
