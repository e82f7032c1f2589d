import AsyncHTTPClient
import BlastwallTestSupport
import Foundation
import NIOCore
import NIOHTTP1

// The forge benchmark: the release `blastwall serve` on SQLite, with the fake GitHub (an App) in this process.
//
//   deliveries/s   signed review deliveries through signature check, dedupe (one in ten is a replay) and the
//                  durable queue, side by side with GET /healthz at the same concurrency (the server's floor)
//   latency        a review delivery to the check run it changes on the fake forge (the gate flips each time),
//                  side by side with the delivery's own round trip (the 202)
//
// Usage: blastwall-forge-bench BLASTWALL [DELIVERIES] [CONCURRENCY] [FLIPS] [RESULTS.json]

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: blastwall-forge-bench BLASTWALL [DELIVERIES] [CONCURRENCY] [FLIPS] [RESULTS]\n".utf8))
    exit(2)
}
let blastwall = arguments[1]
let deliveries = arguments.count > 2 ? Int(arguments[2]) ?? 5000 : 5000
let concurrency = arguments.count > 3 ? Int(arguments[3]) ?? 16 : 16
let flips = arguments.count > 4 ? Int(arguments[4]) ?? 200 : 200
let resultsPath = arguments.count > 5 ? arguments[5] : nil
let secret = "bench-secret"
let repository = "acme/shop"

func git(_ directory: String, _ arguments: [String]) async throws -> String {
    let output = try await ProcessRunner.run("/usr/bin/env", ["git", "-C", directory] + arguments)
    guard output.status == 0 else { throw FakeForgeError("git \(arguments.joined(separator: " ")): \(output.stderr)") }
    return output.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
}

func percentile(_ values: [Double], _ fraction: Double) -> Double {
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, Int((Double(sorted.count) * fraction).rounded(.up)) - 1)]
}

func milliseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
}

let work = FileManager.default.temporaryDirectory.appendingPathComponent("blastwall-forge-bench-\(UUID().uuidString)").path
try FileManager.default.createDirectory(atPath: work + "/repo", withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: work) }

// A repository with one change to two services, and its pull request's ref.
let config = """
    version: 1
    services:
      payments: { paths: ["/payments/"], owners: ["@dana"], tier: 1 }
    rules:
      - name: one-owner
        when: size(change.services) > 0
        require: { approvals: 1, owners: all }
    """
let repo = work + "/repo"
_ = try await git(repo, ["init", "--quiet", "--initial-branch=main"])
try Data(config.utf8).write(to: URL(fileURLWithPath: repo + "/blastwall.yml"))
try FileManager.default.createDirectory(atPath: repo + "/payments", withIntermediateDirectories: true)
try Data("v1\n".utf8).write(to: URL(fileURLWithPath: repo + "/payments/charge.txt"))
for step in [["add", "-A"], ["-c", "user.name=Pat", "-c", "user.email=pat@acme.example", "commit", "--quiet", "-m", "Initial"]] {
    _ = try await git(repo, step)
}
_ = try await git(repo, ["checkout", "--quiet", "-b", "feature"])
try Data("v2\n".utf8).write(to: URL(fileURLWithPath: repo + "/payments/charge.txt"))
_ = try await git(repo, ["-c", "user.name=Pat", "-c", "user.email=pat@acme.example", "commit", "--quiet", "-am", "Charge more"])
let head = try await git(repo, ["rev-parse", "HEAD"])
_ = try await git(repo, ["update-ref", "refs/pull/7/head", head])
_ = try await git(repo, ["checkout", "--quiet", "main"])

let key = try FakeForge.makeAppKey()
let fake = FakeForge(kind: .github, appID: "7", appPublicKey: key.publicPEM)
try await fake.start()
for (file, text) in [("secret", secret), ("key.pem", key.privatePEM), ("blastwall.yml", config)] {
    try Data(text.utf8).write(to: URL(fileURLWithPath: "\(work)/\(file)"))
}

let port = freeLoopbackPort()
let server = "http://127.0.0.1:\(port)"
let bootstrap = try await ProcessRunner.run(blastwall, ["admin", "bootstrap", "--database", work + "/bench.sqlite", "--name", "root"])
let token = bootstrap.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
let process = Process()
process.executableURL = URL(fileURLWithPath: blastwall)
process.arguments = [
    "serve", "--listen", "127.0.0.1:\(port)", "--database", work + "/bench.sqlite", "--config", work + "/blastwall.yml",
    "--repository", "\(repository)=\(repo)", "--github-webhook-secret-file", work + "/secret", "--github-app-id", "7",
    "--github-private-key-file", work + "/key.pem", "--github-api-url", fake.apiURL, "--forge-reconcile-interval", "1h",
]
process.standardOutput = FileHandle.nullDevice
process.standardError = FileHandle(forWritingAtPath: "/dev/null")
try process.run()
defer { process.terminate() }
guard await waitForPort(port, timeout: 30) else { throw FakeForgeError("the server did not start") }
_ = try await HTTP.send(
    "POST", "\(server)/api/v1/identities",
    body: #"{"name": "dana", "kind": "human", "role": "approver", "forge_logins": {"github": "dana-gh"}}"#,
    headers: ["Authorization": "Bearer \(token)"])

// Deliveries per second: reviews of a closed pull request, so that applying each stays cheap and the
// queue is what is measured; one in ten is a replay of an earlier delivery.
fake.addPullRequest(
    FakeForge.PullRequest(repository: repository, number: 99, head: head, headBranch: "old", baseBranch: "main", author: "pat-gh"))
fake.updatePullRequest(repository, 99) { $0.isOpen = false }
let review = fake.addReview(repository, 99, login: "dana-gh", state: "APPROVED", commit: head)
var batch: [FakeForge.Delivery] = []
for index in 0..<deliveries {
    batch.append(index % 10 == 9 ? batch[index - 5] : try fake.reviewDelivery(repository, 99, review: review, secret: secret))
}

/// One request on a kept-alive connection (the test helper closes each), for the server rather than TCP set-up to be measured.
@Sendable func request(_ method: HTTPMethod, _ url: String, body: String? = nil, headers: [String: String] = [:]) async throws -> Int {
    var outgoing = HTTPClientRequest(url: url)
    outgoing.method = method
    for (name, value) in headers { outgoing.headers.add(name: name, value: value) }
    if let body {
        outgoing.headers.add(name: "Content-Type", value: "application/json")
        outgoing.body = .bytes(ByteBuffer(string: body))
    }
    let response = try await HTTPClient.shared.execute(outgoing, timeout: .seconds(30))
    _ = try await response.body.collect(upTo: 1 << 20)
    return Int(response.status.code)
}

/// Runs `count` requests, `concurrency` at a time; returns the requests per second and the statuses seen.
func throughput(_ count: Int, _ send: @escaping @Sendable (Int) async throws -> Int) async throws -> (
    perSecond: Double, statuses: [Int: Int]
) {
    let started = ContinuousClock.now
    var statuses: [Int: Int] = [:]
    try await withThrowingTaskGroup(of: [Int].self) { group in
        for lane in 0..<concurrency {
            group.addTask {
                var seen: [Int] = []
                var index = lane
                while index < count {
                    seen.append(try await send(index))
                    index += concurrency
                }
                return seen
            }
        }
        for try await seen in group { for status in seen { statuses[status, default: 0] += 1 } }
    }
    return (Double(count) / (milliseconds(ContinuousClock.now - started) / 1000), statuses)
}

let frozen = batch
let webhook = "\(server)/api/v1/forges/github/webhook"
let health = try await throughput(deliveries) { _ in try await request(.GET, "\(server)/healthz") }
let queued = try await throughput(deliveries) { index in
    try await request(.POST, webhook, body: frozen[index].body, headers: frozen[index].headers)
}
print(String(format: "healthz (floor)        %8.0f req/s", health.perSecond))
print(
    String(
        format: "webhook deliveries     %8.0f deliveries/s  (ratio to healthz %.2f)  statuses %@", queued.perSecond,
        queued.perSecond / health.perSecond, "\(queued.statuses.sorted { $0.key < $1.key })"))

// Latency: the pull request's gate flips with each review; the time from sending the delivery to the fake
// receiving the check run it causes.
fake.addPullRequest(
    FakeForge.PullRequest(repository: repository, number: 7, head: head, headBranch: "feature", baseBranch: "main", author: "pat-gh"))
_ = try await fake.send(try fake.pullRequestDelivery(repository, 7, action: "opened", secret: secret), to: server)
let openedBy = ContinuousClock.now + .seconds(60)
while fake.latestReport(on: head)?.state != "action_required", ContinuousClock.now < openedBy {
    try await Task.sleep(for: .milliseconds(20))
}
var latencies: [Double] = []
var roundTrips: [Double] = []
for flip in 0..<flips {
    let state = flip % 2 == 0 ? "APPROVED" : "CHANGES_REQUESTED"
    let expected = flip % 2 == 0 ? "success" : "failure"
    let id = fake.addReview(repository, 7, login: "dana-gh", state: state, commit: head)
    let delivery = try fake.reviewDelivery(repository, 7, review: id, secret: secret)
    let reportsBefore = fake.reports.count
    let started = ContinuousClock.now
    _ = try await request(.POST, webhook, body: delivery.body, headers: delivery.headers)
    roundTrips.append(milliseconds(ContinuousClock.now - started))
    let deadline = started + .seconds(10)
    while !(fake.reports.count > reportsBefore && fake.latestReport(on: head)?.state == expected), ContinuousClock.now < deadline {
        try await Task.sleep(for: .microseconds(200))
    }
    latencies.append(milliseconds(ContinuousClock.now - started))
}
let (p50, p99) = (percentile(latencies, 0.5), percentile(latencies, 0.99))
let (tripP50, tripP99) = (percentile(roundTrips, 0.5), percentile(roundTrips, 0.99))
print(String(format: "webhook → check run    p50 %6.2f ms  p99 %6.2f ms  (%d flips)", p50, p99, flips))
print(String(format: "delivery round trip    p50 %6.2f ms  p99 %6.2f ms  (ratio of p99s %.1f)", tripP50, tripP99, p99 / tripP99))

if let resultsPath {
    let results: [String: Any] = [
        "deliveries": deliveries, "concurrency": concurrency, "healthz_per_second": health.perSecond.rounded(),
        "deliveries_per_second": queued.perSecond.rounded(),
        "ratio_to_healthz": (queued.perSecond / health.perSecond * 100).rounded() / 100,
        "flips": flips, "webhook_to_check_run_ms": ["p50": (p50 * 100).rounded() / 100, "p99": (p99 * 100).rounded() / 100],
        "delivery_round_trip_ms": ["p50": (tripP50 * 100).rounded() / 100, "p99": (tripP99 * 100).rounded() / 100],
        "targets": ["deliveries_per_second": 1000, "webhook_to_check_run_p99_ms": 100],
    ]
    try JSONSerialization.data(withJSONObject: results, options: [.prettyPrinted, .sortedKeys]).write(to: URL(fileURLWithPath: resultsPath))
}
await fake.stop()
