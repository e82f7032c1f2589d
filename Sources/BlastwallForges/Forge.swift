import BlastwallCore

/// Which forge a delivery came from.
public enum ForgeKind: String, Sendable, CaseIterable {
    case github, gitlab, gitea
}

/// A webhook delivery as received: the headers (names lowercased) and the exact body bytes.
public struct WebhookDelivery: Sendable {
    public var headers: [String: String]
    public var body: [UInt8]

    public init(headers: [String: String], body: [UInt8]) {
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
        self.body = body
    }

    public func header(_ name: String) -> String? { headers[name.lowercased()] }
}

/// Why a delivery is refused before anything in it is read or stored.
public enum WebhookRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    /// No secret configured for this forge: deliveries cannot be authenticated, so none is taken.
    case notConfigured(ForgeKind)
    /// The signature (or token) header is missing or does not match: 401.
    case badSignature(String)
    /// Authenticated, but not JSON or without what the event needs: 400.
    case malformed(String)

    public var description: String {
        switch self {
        case .notConfigured(let forge):
            "this server takes no \(forge.rawValue) deliveries: start it with --\(forge.rawValue)-webhook-secret-file FILE"
        case .badSignature(let message), .malformed(let message): message
        }
    }
}

/// What a delivery says, in the forge's terms made common.
public enum ForgeEvent: Sendable, Equatable {
    case pullRequest(PullRequestEvent)
    case review(ReviewEvent)
    /// An event the gate does not use (pushes, issues, pings): accepted and ignored.
    case ignored(String)
}

/// Who acted: a login, and whether the forge marks the account a bot.
public struct ForgeAccount: Sendable, Equatable {
    public var login: String
    public var isBot: Bool

    public init(login: String, isBot: Bool) {
        self.login = login
        self.isBot = isBot
    }

    /// A GitHub- or Gitea-shaped user: its login, and a bot when `type` is `Bot` or the login ends in `[bot]`.
    init?(user: JSONValue?) {
        guard let login = user?["login"]?.stringValue else { return nil }
        self.init(login: login, isBot: user?["type"]?.stringValue == "Bot" || login.hasSuffix("[bot]"))
    }
}

/// A pull (merge) request opened, moved to a new head, reopened or closed.
public struct PullRequestEvent: Sendable, Equatable {
    public enum Action: String, Sendable {
        case opened, updated, closed, reopened, other
    }

    public var repository: String
    public var number: Int
    public var action: Action
    public var head: String
    public var baseBranch: String
    public var author: ForgeAccount
}

/// A pull (merge) request as the forge reports it now.
public struct PullRequest: Sendable, Equatable {
    /// `owner/name` (GitHub, Gitea) or the project's full path (GitLab).
    public var repository: String
    public var number: Int
    /// The head commit.
    public var head: String
    /// The branch the head is on: with the repository, the change it is (`blastwall check --submit` names it too).
    public var headBranch: String
    public var baseBranch: String
    public var author: ForgeAccount
    public var isOpen: Bool

    public init(
        repository: String, number: Int, head: String, headBranch: String, baseBranch: String, author: ForgeAccount, isOpen: Bool
    ) {
        self.repository = repository
        self.number = number
        self.head = head
        self.headBranch = headBranch
        self.baseBranch = baseBranch
        self.author = author
        self.isOpen = isOpen
    }
}

/// A review of a pull request: its latest state for one reviewer.
public struct ReviewEvent: Sendable, Equatable {
    /// The states the counting rules read (`ForgeReviewCounting`).
    public typealias State = ForgeReviewCounting.ForgeReview.State

    public var repository: String
    public var number: Int
    public var reviewer: ForgeAccount
    public var state: State
    /// The commit the review was given on, when the forge says.
    public var commit: String?
}

/// One forge's webhooks: authenticate a delivery, then read what it says.
public protocol ForgeWebhooks: Sendable {
    var kind: ForgeKind { get }
    /// Checks the delivery's signature or token against the secret, in constant time, before anything is parsed.
    func authenticate(_ delivery: WebhookDelivery) throws(WebhookRefusal)
    /// The delivery's id, for deduplication; nil when the forge sends none.
    func deliveryID(of delivery: WebhookDelivery) -> String?
    /// The event's name as the forge spells it (`pull_request`, `Merge Request Hook`).
    func eventName(of delivery: WebhookDelivery) -> String?
    /// What a delivery of the event `name` says; the body is read only for the events the gate uses.
    func event(named name: String, body: [UInt8]) throws(WebhookRefusal) -> ForgeEvent
}

/// One forge: its webhooks, and the REST calls the gate makes — read a pull request and its reviews, report
/// the gate on the head, label, dismiss a review, and ask whether someone is in a team. The control plane
/// knows only this protocol; each forge is one folder behind it.
public protocol Forge: Sendable {
    var kind: ForgeKind { get }
    var webhooks: any ForgeWebhooks { get }
    func pullRequest(_ repository: String, number: Int) async throws(ForgeError) -> PullRequest
    /// Every review of the pull request, oldest first.
    func reviews(_ repository: String, number: Int) async throws(ForgeError) -> [ForgeReviewCounting.ForgeReview]
    /// Shows the gate on the head commit: a check run where the forge and credentials allow, else a commit status.
    func report(_ check: ForgeCheck, repository: String) async throws(ForgeError)
    func labels(_ repository: String, number: Int) async throws(ForgeError) -> Set<String>
    func addLabels(_ labels: [String], repository: String, number: Int) async throws(ForgeError)
    func removeLabel(_ label: String, repository: String, number: Int) async throws(ForgeError)
    /// Dismisses a review with a message; a forge that cannot dismiss one review says so in a comment instead.
    func dismissReview(_ review: ForgeReviewCounting.ForgeReview, message: String, repository: String, number: Int)
        async throws(ForgeError)
    /// Whether `login` is a member of `team` (`org/slug`, or a GitLab group's path).
    func isMember(_ login: String, of team: String) async throws(ForgeError) -> Bool
}

extension ForgeWebhooks {
    public func event(of delivery: WebhookDelivery) throws(WebhookRefusal) -> ForgeEvent {
        try event(named: eventName(of: delivery) ?? "", body: delivery.body)
    }

    /// The body as JSON, or a `malformed` refusal.
    func json(_ body: [UInt8]) throws(WebhookRefusal) -> JSONValue {
        do {
            let value = try JSONParser.parse(String(decoding: body, as: UTF8.self))
            guard case .object = value else { throw WebhookRefusal.malformed("the delivery's body is not a JSON object") }
            return value
        } catch let refusal as WebhookRefusal {
            throw refusal
        } catch {
            throw .malformed("the delivery's body is not JSON: \(error)")
        }
    }
}
