import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization
import _CryptoExtras

/// An in-process stand-in for GitHub, GitLab or Gitea: the REST endpoints Blastwall's adapters call, with the
/// documented request and response shapes, recording every status, check run, label and dismissal; and signed
/// webhook deliveries of what happens on it (`FakeForge+Deliveries`).
public final class FakeForge: Sendable {
    public enum Kind: String, Sendable {
        case github, gitlab, gitea
    }

    public struct PullRequest: Sendable {
        public var repository: String
        public var number: Int
        public var head: String
        public var headBranch: String
        public var baseBranch: String
        public var author: String
        public var authorIsBot = false
        public var isOpen = true
        public var labels: [String] = []

        public init(repository: String, number: Int, head: String, headBranch: String, baseBranch: String, author: String) {
            self.repository = repository
            self.number = number
            self.head = head
            self.headBranch = headBranch
            self.baseBranch = baseBranch
            self.author = author
        }
    }

    public struct Review: Sendable {
        public var id: Int
        public var login: String
        public var isBot: Bool
        /// GitHub's spelling: APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED.
        public var state: String
        public var commit: String
    }

    /// A commit status or check run as it was posted.
    public struct Report: Sendable {
        public var kind: String
        public var head: String
        /// A status's state, or a check run's conclusion (its status while in progress).
        public var state: String
        public var title: String
        public var description: String
        public var summary: String
        public var annotations: Int
        public var detailsURL: String?
    }

    struct State {
        var pulls: [String: PullRequest] = [:]
        var reviews: [String: [Review]] = [:]
        var reports: [Report] = []
        var dismissals: [(review: Int, message: String)] = []
        var notes: [String] = []
        var labelChanges: [String] = []
        var teams: [String: Set<String>] = [:]
        var requests: [String] = []
        var issuedTokens: Set<String> = []
        var nextReviewID = 1000
        var repositoryLabels: [String: Int] = [:]
        var pullRequestDelay: Duration = .zero
    }

    public let kind: Kind
    public let port: Int
    /// The token API calls must carry (GitHub: or an installation token issued to the App).
    public let token: String
    /// GitHub Apps: the public key (PEM) the App's JWTs are checked with, and the App's id.
    let appPublicKey: String?
    let appID: String?
    let state = Mutex(State())
    private let task = Mutex<Task<Void, any Error>?>(nil)
    private let group = Mutex<ServiceGroup?>(nil)

    /// The API's root, as `--github-api-url` (and the others) take it.
    public var apiURL: String {
        switch kind {
        case .github: "http://127.0.0.1:\(port)"
        case .gitlab: "http://127.0.0.1:\(port)/api/v4"
        case .gitea: "http://127.0.0.1:\(port)/api/v1"
        }
    }

    public init(kind: Kind, token: String = "forge-token-\(UUID().uuidString)", appID: String? = nil, appPublicKey: String? = nil) {
        self.kind = kind
        self.token = token
        self.appID = appID
        self.appPublicKey = appPublicKey
        port = freeLoopbackPort()
    }

    /// Starts serving on loopback; returns once it accepts connections.
    public func start() async throws {
        let router = Router()
        router.on("**", method: .get) { request, _ in await self.respond(request) }
        router.on("**", method: .post) { request, _ in await self.respond(request) }
        router.on("**", method: .put) { request, _ in await self.respond(request) }
        router.on("**", method: .delete) { request, _ in await self.respond(request) }
        var logger = Logger(label: "fake-forge")
        logger.logLevel = .warning
        // Waits for the server to say it listens rather than polling against a clock: on two cores a busy
        // concurrency pool can hold the server's start for longer than any fixed timeout.
        let (listening, signal) = AsyncStream<Void>.makeStream()
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)),
            onServerRunning: { _ in signal.yield() }, logger: logger)
        // Stopped by a graceful shutdown, not by cancelling the server's task: a connection accepted while the
        // task is cancelled crashes NIO ("Deinited NIOAsyncWriter without calling finish()").
        let services = ServiceGroup(services: [app], gracefulShutdownSignals: [], cancellationSignals: [], logger: logger)
        group.withLock { $0 = services }
        task.withLock {
            $0 = Task {
                defer { signal.finish() }
                try await services.run()
            }
        }
        var events = listening.makeAsyncIterator()
        guard await events.next() != nil else { throw FakeForgeError("the fake \(kind.rawValue) could not listen on \(port)") }
    }

    public func stop() async {
        await group.withLock { $0 }?.triggerGracefulShutdown()
        _ = try? await task.withLock { $0 }?.value
    }

    // MARK: What the test sets up

    public func addPullRequest(_ pull: PullRequest) {
        state.withLock { $0.pulls[Self.key(pull.repository, pull.number)] = pull }
    }

    public func updatePullRequest(_ repository: String, _ number: Int, _ change: (inout PullRequest) -> Void) {
        state.withLock { state in
            if var pull = state.pulls[Self.key(repository, number)] {
                change(&pull)
                state.pulls[Self.key(repository, number)] = pull
            }
        }
    }

    /// Records a review as the forge would; returns its id.
    @discardableResult
    public func addReview(
        _ repository: String, _ number: Int, login: String, isBot: Bool = false, state reviewState: String, commit: String
    )
        -> Int
    {
        state.withLock { state in
            state.nextReviewID += 1
            let review = Review(id: state.nextReviewID, login: login, isBot: isBot, state: reviewState, commit: commit)
            state.reviews[Self.key(repository, number), default: []].append(review)
            return review.id
        }
    }

    public func setTeam(_ team: String, members: Set<String>) {
        state.withLock { $0.teams[team.lowercased()] = members }
    }

    /// Holds every pull-request read for this long: a server applying a delivery is then mid-way for a while.
    public func delayPullRequestReads(_ delay: Duration) {
        state.withLock { $0.pullRequestDelay = delay }
    }

    // MARK: What the test reads back

    public var reports: [Report] { state.withLock { $0.reports } }
    public var dismissals: [(review: Int, message: String)] { state.withLock { $0.dismissals } }
    public var notes: [String] { state.withLock { $0.notes } }
    public var requests: [String] { state.withLock { $0.requests } }

    public func labels(_ repository: String, _ number: Int) -> [String] {
        state.withLock { $0.pulls[Self.key(repository, number)]?.labels ?? [] }
    }

    public func reviews(_ repository: String, _ number: Int) -> [Review] {
        state.withLock { $0.reviews[Self.key(repository, number)] ?? [] }
    }

    /// The newest report on `head`.
    public func latestReport(on head: String) -> Report? {
        state.withLock { $0.reports.last { $0.head == head } }
    }

    static func key(_ repository: String, _ number: Int) -> String { "\(repository.lowercased())#\(number)" }
}

public struct FakeForgeError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

extension FakeForge {
    /// A GitHub App's key pair, as GitHub hands out the private key (PKCS#1 PEM) and keeps the public one.
    public static func makeAppKey() throws -> (privatePEM: String, publicPEM: String) {
        let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        return (key.pemRepresentation, key.publicKey.pemRepresentation)
    }
}
