import BlastwallCore
import BlastwallForges
import BlastwallStorage

extension ControlPlane {
    /// What became of a webhook delivery.
    public enum DeliveryReceipt: Sendable, Equatable {
        /// Stored for the first time: it will be applied.
        case queued(Int64)
        /// Already stored under this id: nothing changes.
        case duplicate
        /// An event the gate does not use.
        case ignored(String)
    }

    /// Takes a delivery that authenticated and was read (the caller checked its signature, then read `event`),
    /// and stores it once in the durable queue. Answering after this loses nothing, even if the server dies at once.
    public func receiveDelivery(_ delivery: WebhookDelivery, event: ForgeEvent, from webhooks: any ForgeWebhooks)
        async throws(ControlPlaneError) -> DeliveryReceipt
    {
        if case .ignored(let name) = event { return .ignored(name) }
        guard let id = webhooks.deliveryID(of: delivery), !id.isEmpty else {
            throw .invalid(field: "delivery", message: "the delivery has no id header, so a replay could not be told from it")
        }
        let body = String(decoding: delivery.body, as: UTF8.self)
        let name = webhooks.eventName(of: delivery) ?? ""
        let time = now()
        let stored = try await write { transaction in
            try await ForgeDeliveryStore.insert(
                transaction, forge: webhooks.kind.rawValue, deliveryID: id, event: name, body: body, time: time)
        }
        guard let stored else { return .duplicate }
        deliveryWakeup.signal()
        return .queued(stored.id)
    }

    /// Deliveries received and not yet applied, oldest first.
    public func pendingDeliveries(limit: Int = 100) async throws(ControlPlaneError) -> [ForgeDeliveryRecord] {
        try await read { try await ForgeDeliveryStore.pending(database, limit: limit) }
    }

    /// The name this server holds deliveries under while it applies them.
    var workerName: String { publicURL ?? "blastwall" }

    /// How long a delivery is held by the server applying it: longer than an analysis of a large range takes.
    static let deliveryLease: Double = 300
    /// Attempts after which a delivery that keeps failing for a transient reason is given up (reconciliation
    /// still brings its pull request up to date).
    static let deliveryAttempts = 8

    /// Applies queued deliveries, oldest first, until none is left to take; returns how many were taken.
    @discardableResult
    public func applyQueuedDeliveries() async -> Int {
        var taken = 0
        while !Task.isCancelled {
            let time = now()
            let until = Self.time(-Self.deliveryLease, before: time) ?? time
            let holder = workerName
            let claimed: ForgeDeliveryRecord?
            do {
                claimed = try await write { transaction in
                    try await ForgeDeliveryStore.claim(transaction, now: time, until: until, by: holder)
                }
            } catch {
                logger.warning("taking a forge delivery failed", metadata: ["error": "\(error)"])
                return taken
            }
            guard let claimed else { return taken }
            taken += 1
            await apply(claimed)
        }
        return taken
    }

    /// Applies one delivery: its pull request is read again from the forge and the gate recomputed. A
    /// transient failure is retried later with a growing delay; anything else is recorded with the delivery.
    func apply(_ delivery: ForgeDeliveryRecord) async {
        let outcome: String
        do {
            outcome = try await applyDelivery(delivery)
        } catch {
            let transient = Self.isTransient(error)
            if transient, delivery.attempts < Self.deliveryAttempts {
                let delay = min(300, Double(1 << min(delivery.attempts, 8)))
                let time = now()
                let retryAt = Self.time(-delay, before: time) ?? time
                logger.warning(
                    "applying a forge delivery failed; retrying",
                    metadata: ["delivery": "\(delivery.deliveryID)", "attempt": "\(delivery.attempts)", "error": "\(error)"])
                _ = try? await write { transaction in
                    try await ForgeDeliveryStore.markFailed(transaction, id: delivery.id, error: "\(error)", retryAt: retryAt)
                }
                return
            }
            logger.warning("a forge delivery could not be applied", metadata: ["delivery": "\(delivery.deliveryID)", "error": "\(error)"])
            outcome = "failed: \(error)"
        }
        let time = now()
        _ = try? await write { transaction in
            try await ForgeDeliveryStore.markProcessed(transaction, id: delivery.id, outcome: outcome, time: time)
        }
    }

    private func applyDelivery(_ delivery: ForgeDeliveryRecord) async throws -> String {
        guard let kind = ForgeKind(rawValue: delivery.forge), let forge = forges[kind] else {
            return "skipped: this server is not configured for \(delivery.forge)"
        }
        let event = try forge.webhooks.event(named: delivery.event, body: Array(delivery.body.utf8))
        switch event {
        case .ignored(let name): return "ignored: \(name)"
        case .pullRequest(let pull): return try await refreshPullRequest(forge, repository: pull.repository, number: pull.number)
        case .review(let review):
            let hint = review.commit.map { [review.reviewer.login.lowercased(): $0] } ?? [:]
            return try await refreshPullRequest(forge, repository: review.repository, number: review.number, reviewCommits: hint)
        }
    }

    /// Recomputes every open pull request the server follows: forges do not redeliver what was missed, so a
    /// lost delivery only delays an approval until the next round. Returns how many were brought up to date.
    @discardableResult
    public func reconcilePullRequests() async -> Int {
        var after: Int64 = 0
        var refreshed = 0
        while !Task.isCancelled {
            let page: [PullRequestRecord]
            do {
                page = try await read { try await PullRequestStore.open(database, after: after, limit: 100) }
            } catch {
                logger.warning("reading open pull requests failed", metadata: ["error": "\(error)"])
                return refreshed
            }
            for pull in page {
                guard let kind = ForgeKind(rawValue: pull.forge), let forge = forges[kind] else { continue }
                do {
                    _ = try await refreshPullRequest(forge, repository: pull.repository, number: pull.number)
                    refreshed += 1
                } catch {
                    logger.warning(
                        "reconciling a pull request failed",
                        metadata: ["forge": "\(pull.forge)", "pull_request": "\(pull.repository)#\(pull.number)", "error": "\(error)"])
                }
            }
            guard page.count == 100, let last = page.last else { break }
            after = last.id
        }
        return refreshed
    }

    /// The forges' worker: applies deliveries as they arrive (woken by each one, and every second in any
    /// case, for other servers' deliveries and retries) and reconciles open pull requests at start and every
    /// `reconcileEvery`. Runs until cancelled.
    public func runForgeWorker(reconcileEvery: Duration) async {
        guard !forges.isEmpty else { return }
        let holder = workerName
        _ = try? await write { transaction in try await ForgeDeliveryStore.release(transaction, heldBy: holder) }
        let clock = ContinuousClock()
        var reconciled: ContinuousClock.Instant?
        while !Task.isCancelled {
            await applyQueuedDeliveries()
            if reconciled.map({ clock.now - $0 >= reconcileEvery }) ?? true {
                reconciled = clock.now
                let count = await reconcilePullRequests()
                if count > 0 { logger.debug("pull requests reconciled", metadata: ["count": "\(count)"]) }
            }
            await deliveryWakeup.wait(upTo: .seconds(1))
        }
    }

    /// Whether trying again later may succeed: the forge or the database was unavailable for a while.
    static func isTransient(_ error: any Error) -> Bool {
        if let error = error as? ForgeError { return error.isTransient }
        if let error = error as? ControlPlaneError {
            switch error {
            case .unavailable, .storage: return true
            default: return false
            }
        }
        return false
    }
}
