import BlastwallCore
import BlastwallForges
import BlastwallStorage
import Crypto

extension ControlPlane {
    /// Brings one pull request up to date: reads it from the forge, analyses a new head from the mirror (the
    /// same change a `blastwall check --submit` of its branch is), counts the forge's reviews under
    /// Blastwall's rules, and shows the gate, labels and stale dismissals on the pull request. Every step that
    /// changes the gate is audited. Returns what happened, for the delivery's record.
    ///
    /// `reviewCommits` are the commits deliveries named for reviews (login → commit), for forges whose API
    /// does not say which commit an approval was given on (GitLab).
    func refreshPullRequest(_ forge: any Forge, repository: String, number: Int, reviewCommits: [String: String] = [:])
        async throws -> String
    {
        let kind = forge.kind.rawValue
        let pull = try await forge.pullRequest(repository, number: number)
        let time = now()
        let stored = try await read { try await PullRequestStore.find(database, forge: kind, repository: repository, number: number) }
        var link =
            stored
            ?? PullRequestRecord(
                forge: kind, repository: repository, number: number, headBranch: pull.headBranch, head: pull.head,
                baseBranch: pull.baseBranch, author: pull.author.login, time: time)
        link.headBranch = pull.headBranch
        link.head = pull.head
        link.baseBranch = pull.baseBranch
        link.author = pull.author.login
        link.state = pull.isOpen ? "open" : "closed"
        guard pull.isOpen else {
            try await save(link)
            return "closed"
        }

        guard let change = try await analysedChange(of: pull, forge: forge, link: &link) else {
            try await save(link)
            return "unanalysable"
        }
        let gate = try GateRequirements(stored: change.gate)
        let counting = ForgeReviewCounting(forge: kind, settings: configuration.forge)
        let forgeReviews = try await forge.reviews(repository, number: number)
        let (counted, ignored) = counting.count(
            forgeReviews, author: pull.author.login, commitIdentities: gate.authors, head: pull.head,
            principal: { self.principal(forge: forge.kind, login: $0) })
        var current: [ForgeReviewCounting.Counted] = []
        var stale: [(counted: ForgeReviewCounting.Counted, approval: ForgeCheck.StaleApproval)] = []
        // Approvals this server dismissed as stale stay explained on the pull request until their reviewer reviews again.
        var dismissedStale: [ForgeCheck.StaleApproval] = []
        for review in Self.latestByLogin(forgeReviews)
        where review.state == .dismissed && review.id.map(link.dismissed.contains) == true {
            let reviewer =
                principal(forge: forge.kind, login: review.login)
                ?? Principal(name: ForgeReviewCounting.unmappedName(forge: kind, login: review.login), kind: .human, role: .approver)
            let given = review.commit ?? pull.head
            let dismissed = ForgeReviewCounting.Counted(review: Review(reviewer: reviewer, verdict: .approve, head: given), source: review)
            if let approval = try await staleness(of: dismissed, given: given, change: change, gate: gate) {
                dismissedStale.append(approval)
            }
        }
        for var review in counted {
            let login = review.source.login.lowercased()
            let given = try await givenOn(review, hint: reviewCommits[login], changeID: change.id, forge: kind, head: pull.head)
            review.review.head = given
            if review.review.verdict == .approve, given != pull.head,
                let approval = try await staleness(of: review, given: given, change: change, gate: gate)
            {
                stale.append((review, approval))
                continue
            }
            review.review.reviewer.groups += try await teamGroups(of: review.source.login, on: forge)
            current.append(review)
        }
        let status = try await applyReviews(
            current, ignored: ignored, stale: stale.map(\.approval), to: change, pull: pull, forge: kind)

        let check = ForgeCheck.gate(
            status, head: pull.head, ignored: ignored, stale: stale.map(\.approval) + dismissedStale, analysis: link.summary,
            annotations: link.annotations.compactMap(ForgeAnnotation.init(json:)), detailsURL: detailsURL(of: change.id))
        try await publish(check, on: forge, link: &link)
        try await label(&link, change: change, status: status, on: forge)
        if configuration.forge.dismissStale {
            for (review, approval) in stale {
                guard let id = review.source.id, !link.dismissed.contains(id) else { continue }
                try await forge.dismissReview(review.source, message: approval.message, repository: repository, number: number)
                link.dismissed.append(id)
                try await audit(
                    "forge.review.dismissed", subject: "change/\(change.id)", actor: kind,
                    payload: .object([
                        ("pull_request", .string("\(repository)#\(number)")), ("reviewer", .string(approval.login)),
                        ("commit", .string(approval.commit)), ("files", .array(approval.files.map(JSONValue.string))),
                        ("message", .string(approval.message)),
                    ]))
            }
        }
        try await save(link)
        return "gate \(status.state.rawValue)"
    }

    /// The change at the pull request's head, analysed from the mirror when the head is new; nil when it
    /// cannot be analysed, which is shown on the pull request as a failing gate with the reason.
    private func analysedChange(of pull: PullRequest, forge: any Forge, link: inout PullRequestRecord) async throws -> ChangeRecord? {
        let linked = try await read { try await link.changeID.asyncMap { try await ChangeStore.find(database, id: $0) } ?? nil }
        if let linked, linked.head == pull.head, link.analysedHead == pull.head { return linked }
        guard let mirrors, mirrors.mirrors(pull.repository) else {
            let reason =
                "this server keeps no mirror of \(pull.repository), so it cannot analyse the pull request; start it with "
                + "--repository \(pull.repository)=URL"
            try await publish(ForgeCheck.unanalysable(head: pull.head, reason: reason), on: forge, link: &link)
            return nil
        }
        let short = String(pull.head.prefix(12))
        try await publish(
            ForgeCheck.analysing(head: pull.head, reason: "Blastwall is analysing \(short) from its mirror of \(pull.repository)"),
            on: forge, link: &link)
        let actor = Principal(name: forge.kind.rawValue, kind: .bot, role: .ci)
        do {
            let base = try await mirrors.mergeBase(repository: pull.repository, branch: pull.baseBranch, head: pull.head)
            var submission = Submission(repository: pull.repository, branch: pull.headBranch, head: pull.head, base: base)
            submission.baseBranch = pull.baseBranch
            let view = try await submit(submission, by: actor)
            link.changeID = view.change.id
            link.analysedHead = pull.head
            link.summary = view.rendered?.markdown
            link.annotations = view.rendered?.annotations.map(\.json) ?? []
            return view.change
        } catch {
            if Self.isTransient(error) { throw error }
            let reason = (error as? ControlPlaneError)?.description ?? "\(error)"
            try await publish(ForgeCheck.unanalysable(head: pull.head, reason: reason), on: forge, link: &link)
            return nil
        }
    }

    /// The commit a review was given on: as the forge says, else as its delivery said, else as recorded when
    /// it was first counted, else the head (first seen now).
    private func givenOn(_ review: ForgeReviewCounting.Counted, hint: String?, changeID: Int64, forge: String, head: String)
        async throws -> String
    {
        if let commit = review.source.commit { return commit }
        if let hint { return hint }
        let key = Self.sourceKey(forge: forge, login: review.source.login)
        let earlier = try await read { try await ReviewStore.all(database, changeID: changeID) }
            .last { Self.sourceKey(of: $0) == key }
        return earlier?.head ?? head
    }

    /// Why an approval given on `given` no longer counts at the head: files in the reviewer's area changed
    /// since — the rule `blastwall approve` approvals keep across pushes. Nil when it still counts.
    private func staleness(
        of review: ForgeReviewCounting.Counted, given: String, change: ChangeRecord, gate: GateRequirements
    ) async throws -> ForgeCheck.StaleApproval? {
        let login = review.source.login
        guard let paths = try await mirrors?.changedPaths(repository: change.repository, from: given, to: change.head) else {
            // A force-push dropped the commit: nothing says what the approval saw.
            return ForgeCheck.StaleApproval(login: login, commit: given, files: [])
        }
        let reported = Self.fileServices(in: change.report)
        let changed = paths.map { (path: $0, service: service(of: $0, reported: reported)) }
        guard engine.retained([review.review], changedFiles: changed, owners: gate.owners).kept.isEmpty else { return nil }
        let owned = Set(gate.owners.filter { review.review.reviewer.isNamed(byAnyOf: $0.value) }.keys)
        let inArea = changed.filter { file in file.service.map { owned.isEmpty || owned.contains($0) } ?? true }
        return ForgeCheck.StaleApproval(login: login, commit: given, files: inArea.map(\.path))
    }

    /// Groups the login belongs to through forge teams (`groups: { senior: { github_team: … } }`), asked of the
    /// forge and remembered for five minutes.
    private func teamGroups(of login: String, on forge: any Forge) async throws -> [String] {
        var groups: [String] = []
        for (group, teams) in configuration.forge.groupTeams.sorted(by: { $0.key < $1.key }) {
            for team in teams where team.forge == forge.kind.rawValue {
                let key = "\(team.forge)\u{0}\(team.path.lowercased())\u{0}\(login.lowercased())"
                let clock = ContinuousClock()
                let cached = teamMemberships.withLock { $0[key] }
                let isMember: Bool
                if let cached, cached.until > clock.now {
                    isMember = cached.isMember
                } else {
                    do {
                        isMember = try await forge.isMember(login, of: team.path)
                        teamMemberships.withLock { $0[key] = (isMember, clock.now + .seconds(300)) }
                    } catch {
                        if Self.isTransient(error) { throw error }
                        // Membership that cannot be read (the token or App lacks the permission) is no membership.
                        logger.warning(
                            "a forge team's membership could not be read; not counted as a member",
                            metadata: ["team": "\(team.path)", "login": "\(login)", "error": "\(error)"])
                        isMember = false
                    }
                }
                if isMember {
                    groups.append(group)
                    break
                }
            }
        }
        return groups
    }

    /// Makes the change's forge reviews the counted ones, in one transaction with the gate's new state, and
    /// audits what changed: who counts, who does not and why, which approvals went stale.
    private func applyReviews(
        _ counted: [ForgeReviewCounting.Counted], ignored: [ForgeReviewCounting.Ignored], stale: [ForgeCheck.StaleApproval],
        to change: ChangeRecord, pull: PullRequest, forge: String
    ) async throws -> GateStatus {
        let time = now()
        let freezes = applicableFreezes(to: change, at: time)
        let wanted = counted.map { review in
            (
                reviewer: review.review.reviewer.name, verdict: review.review.verdict.rawValue, head: review.review.head,
                source: Self.source(forge: forge, review: review.source),
                groups: review.review.reviewer.groups.filter { group in
                    !(principals.withLock { $0[review.review.reviewer.name]?.groups.contains(group) } ?? false)
                }
            )
        }
        let result = try await write { transaction in
            guard let current = try await ChangeStore.find(transaction, id: change.id) else {
                throw ControlPlaneError.notFound("change \(change.id) is gone")
            }
            let active = try await ReviewStore.active(transaction, changeID: change.id)
            let fromForge = active.filter { Self.sourceKey(of: $0).hasPrefix(forge + ":") }
            func key(_ reviewer: String, _ verdict: String, _ source: String, _ groups: [String]) -> String {
                "\(reviewer)\u{0}\(verdict)\u{0}\(source)\u{0}\(groups.sorted().joined(separator: ","))"
            }
            let wantedKeys = Set(wanted.map { key($0.reviewer, $0.verdict, $0.source, $0.groups) })
            let activeKeys = Set(fromForge.map { key($0.reviewer, $0.verdict, $0.source ?? "", $0.groups) })
            let withdrawn = fromForge.filter { !wantedKeys.contains(key($0.reviewer, $0.verdict, $0.source ?? "", $0.groups)) }
            try await ReviewStore.dismiss(transaction, ids: withdrawn.map(\.id), time: time)
            var added: [String] = []
            for review in wanted where !activeKeys.contains(key(review.reviewer, review.verdict, review.source, review.groups)) {
                _ = try await ReviewStore.insert(
                    transaction, changeID: change.id, reviewer: review.reviewer, verdict: review.verdict, isOverride: false,
                    head: review.head, comment: nil, source: review.source, groups: review.groups, time: time)
                added.append(review.reviewer)
            }
            let reviews = try await ReviewStore.active(transaction, changeID: change.id)
            let (status, validUntil) = try self.status(of: current, reviews: reviews, freezes: freezes)
            if status.state.rawValue != current.state || !withdrawn.isEmpty || !added.isEmpty {
                try await ChangeStore.setState(transaction, id: change.id, state: status.state.rawValue, time: time)
                try await AuditLog.append(
                    transaction, time: time, actor: forge, action: "forge.reviews.applied", subject: "change/\(change.id)",
                    payload: .object([
                        ("pull_request", .string("\(pull.repository)#\(pull.number)")), ("head", .string(pull.head)),
                        (
                            "counted",
                            .array(
                                counted.map { review in
                                    .object([
                                        ("login", .string(review.source.login)), ("reviewer", .string(review.review.reviewer.name)),
                                        ("verdict", .string(review.review.verdict.rawValue)), ("commit", .string(review.review.head)),
                                    ])
                                })
                        ),
                        (
                            "ignored",
                            .array(ignored.map { .object([("login", .string($0.login)), ("reason", .string($0.reason))]) })
                        ),
                        (
                            "stale",
                            .array(
                                stale.map { approval in
                                    .object([
                                        ("login", .string(approval.login)), ("commit", .string(approval.commit)),
                                        ("files", .array(approval.files.map(JSONValue.string))),
                                    ])
                                })
                        ),
                        ("state", .string(status.state.rawValue)), ("summary", .string(status.summary)),
                    ]))
            }
            return (status, validUntil)
        }
        gates.withLock { $0[change.id] = (result.0, result.1) }
        return result.0
    }

    /// Sends the check unless the forge already shows exactly this.
    private func publish(_ check: ForgeCheck, on forge: any Forge, link: inout PullRequestRecord) async throws {
        let fingerprint = Self.fingerprint(check)
        guard link.reported != fingerprint else { return }
        try await forge.report(check, repository: link.repository)
        link.reported = fingerprint
    }

    /// Adds the labels the analysis and gate call for, and removes those this server added that no longer apply.
    private func label(_ link: inout PullRequestRecord, change: ChangeRecord, status: GateStatus, on forge: any Forge) async throws {
        let tiers = (change.report["services"]?.arrayValue ?? []).compactMap { $0["tier"]?.intValue }
        let wanted = ForgeLabels.wanted(configuration.forge.labels, provenance: change.provenance, tiers: tiers, status: status)
        let previously = Set(link.labels)
        guard wanted != previously else { return }
        let present = try await forge.labels(link.repository, number: link.number)
        let (add, remove) = ForgeLabels.changes(wanted: wanted, added: previously, present: present)
        try await forge.addLabels(add, repository: link.repository, number: link.number)
        for label in remove { try await forge.removeLabel(label, repository: link.repository, number: link.number) }
        link.labels = wanted.sorted()
    }

    private func save(_ link: PullRequestRecord) async throws {
        let time = now()
        _ = try await write { transaction in try await PullRequestStore.save(transaction, link, time: time) }
    }

    private func audit(_ action: String, subject: String, actor: String, payload: JSONValue) async throws {
        let time = now()
        _ = try await write { transaction in
            try await AuditLog.append(transaction, time: time, actor: actor, action: action, subject: subject, payload: payload)
        }
    }

    func detailsURL(of changeID: Int64) -> String? { publicURL.map { "\($0)/api/v1/changes/\(changeID)" } }

    /// Each login's newest review, in first-review order.
    static func latestByLogin(_ reviews: [ForgeReviewCounting.ForgeReview]) -> [ForgeReviewCounting.ForgeReview] {
        var latest: [String: ForgeReviewCounting.ForgeReview] = [:]
        var order: [String] = []
        for review in reviews {
            let key = review.login.lowercased()
            if latest[key] == nil { order.append(key) }
            latest[key] = review
        }
        return order.compactMap { latest[$0] }
    }

    /// `github:dana-gh#123`: the forge, the login, and the forge's id of the review when it has one.
    static func source(forge: String, review: ForgeReviewCounting.ForgeReview) -> String {
        sourceKey(forge: forge, login: review.login) + (review.id.map { "#\($0)" } ?? "")
    }

    static func sourceKey(forge: String, login: String) -> String { "\(forge):\(login.lowercased())" }

    /// A stored source without its review id.
    static func sourceKey(of record: ReviewRecord) -> String {
        String((record.source ?? "").prefix { $0 != "#" })
    }

    static func fingerprint(_ check: ForgeCheck) -> String {
        let text = [check.head, check.conclusion.rawValue, check.title, check.description, check.summary, check.detailsURL ?? ""]
            .joined(separator: "\u{0}")
        return SHA256.hash(data: Array(text.utf8)).map { String($0, radix: 16) }.joined()
    }
}

extension Optional {
    /// `map` for an async transform.
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
