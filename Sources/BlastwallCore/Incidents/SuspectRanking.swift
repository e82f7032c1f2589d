import CEL

/// A ranked suspect: its score, the product of named terms, each with the sentence that explains it.
public struct Suspect: Sendable, Equatable {
    public struct Term: Sendable, Equatable {
        public var name: String
        public var factor: Double
        public var reason: String
    }

    public var candidate: SuspectCandidate
    public var score: Double
    public var terms: [Term]

    /// One line an on-call engineer reads first: what, when, where, and the doubts.
    public var explanation: String { terms.map(\.reason).filter { !$0.isEmpty }.joined(separator: "; ") }
}

/// Ranks what changed before an incident: time since it acted, how close its service is to the incident's
/// (from the blast-radius graph), its kind, the risk and provenance of its change, and doubts analysis
/// already had. Pure: the same history gives the same ranking.
public struct SuspectRanking: Sendable {
    /// How far back changes are looked for, in seconds (`incidents.window`).
    public var window: Double
    /// The time term halves every this many seconds since the change acted.
    public var halfLife: Double

    public init(window: Double = 86_400, halfLife: Double = 3_600) {
        self.window = window
        self.halfLife = halfLife
    }

    /// How likely each kind is to break production at once, before anything else is known.
    public static let kindWeights: [SuspectCandidate.Kind: Double] = [
        .rollout: 1.0, .flag: 0.9, .configuration: 0.8, .killSwitch: 0.7, .agentOperation: 0.7, .change: 0.5, .freezeLifted: 0.4,
    ]

    /// The suspects of an incident on `service` (nil: the service is unknown) that started at `start`:
    /// related ones ranked, highest first; those on services the incident's does not depend on listed apart
    /// (score 0). Candidates after the start or before the window are left out.
    public func rank(_ candidates: [SuspectCandidate], service: String?, start: Timestamp, graph: DependencyGraph) -> (
        ranked: [Suspect], unrelated: [Suspect]
    ) {
        let distances = service.map { graph.dependencyDistances(from: $0) } ?? [:]
        var ranked: [Suspect] = []
        var unrelated: [Suspect] = []
        for candidate in candidates {
            let age = Double(start.nanoseconds - candidate.time.nanoseconds) / 1e9
            guard age >= 0 || candidate.isInProgress, age <= window else { continue }
            let reach = Self.reach(candidate, incidentService: service, distances: distances)
            var terms = [time(candidate, age: max(0, age)), reach]
            terms.append(Suspect.Term(name: "kind", factor: Self.kindWeights[candidate.kind] ?? 0.5, reason: ""))
            terms += Self.change(candidate)
            if let doubts = Self.doubts(candidate) { terms.append(doubts) }
            let score = terms.reduce(1.0) { $0 * $1.factor }
            let suspect = Suspect(candidate: candidate, score: score, terms: terms)
            if reach.factor == 0 { unrelated.append(suspect) } else { ranked.append(suspect) }
        }
        // Highest score first; ties go to the latest, then to the reference, so that the order is stable.
        let order: (Suspect, Suspect) -> Bool = { lhs, rhs in
            if lhs.score != rhs.score { return lhs.score > rhs.score }
            if lhs.candidate.time != rhs.candidate.time { return lhs.candidate.time > rhs.candidate.time }
            return lhs.candidate.reference < rhs.candidate.reference
        }
        return (ranked.sorted(by: order), unrelated.sorted(by: order))
    }

    /// A rollout still moving traffic is hottest; otherwise the term halves every `halfLife`.
    func time(_ candidate: SuspectCandidate, age: Double) -> Suspect.Term {
        if candidate.isInProgress {
            return Suspect.Term(name: "time", factor: 1, reason: "\(candidate.summary), still in progress when the incident began")
        }
        let factor = max(0.01, Self.halving(age, every: halfLife))
        return Suspect.Term(name: "time", factor: factor, reason: "\(candidate.summary) \(Self.ago(age)) before the incident began")
    }

    static func halving(_ age: Double, every halfLife: Double) -> Double {
        var factor = 1.0
        var remaining = age / halfLife
        // 2^-x without Foundation: whole halvings, then the rest by the first terms of its series.
        while remaining >= 1 {
            factor /= 2
            remaining -= 1
        }
        let ln2 = 0.6931471805599453
        let x = -remaining * ln2
        return factor * (1 + x + x * x / 2 + x * x * x / 6 + x * x * x * x / 24)
    }

    /// A change on several services reaches the incident through the closest of them.
    static func reach(_ candidate: SuspectCandidate, incidentService: String?, distances: [String: Int]) -> Suspect.Term {
        guard let primary = candidate.service else {
            return Suspect.Term(name: "reach", factor: 0.4, reason: "not tied to one service")
        }
        guard let incidentService else {
            return Suspect.Term(name: "reach", factor: 0.4, reason: "on \(primary) (the incident names no service)")
        }
        let service =
            ([primary] + candidate.alsoOn).min { lhs, rhs in (distances[lhs] ?? Int.max) < (distances[rhs] ?? Int.max) } ?? primary
        switch distances[service] {
        case 0: return Suspect.Term(name: "reach", factor: 1, reason: "on \(service) itself")
        case 1: return Suspect.Term(name: "reach", factor: 0.6, reason: "on \(service), which \(incidentService) depends on")
        case let hops?:
            return Suspect.Term(
                name: "reach", factor: 0.3, reason: "on \(service), which \(incidentService) depends on through \(hops - 1) other")
        case nil: return Suspect.Term(name: "reach", factor: 0, reason: "on \(service), which \(incidentService) does not depend on")
        }
    }

    /// The change behind it: its risk (0.5 at 0 to 1 at 100) and provenance (AI work weighs more).
    static func change(_ candidate: SuspectCandidate) -> [Suspect.Term] {
        guard let id = candidate.changeID else { return [] }
        let provenance = candidate.provenance ?? "human"
        let described = provenance == "human" ? "change \(id)" : "\(Self.provenanceName(provenance)) change \(id)"
        let risk = candidate.risk.map { " (risk \($0)\(candidate.riskLevel.map { ", \($0)" } ?? ""))" } ?? ""
        let riskFactor: Double = candidate.risk.map { 0.5 + Double(min(max($0, 0), 100)) / 200 } ?? 0.75
        var terms = [Suspect.Term(name: "risk", factor: riskFactor, reason: described + risk)]
        let weights: [String: Double] = ["ai-assisted": 1.15, "ai-authored": 1.25]
        let weight = weights[provenance] ?? 1
        if weight != 1 { terms.append(Suspect.Term(name: "provenance", factor: weight, reason: "")) }
        return terms
    }

    static func provenanceName(_ kind: String) -> String {
        switch kind {
        case "ai-assisted": "AI-assisted"
        case "ai-authored": "AI-authored"
        default: kind
        }
    }

    static func doubts(_ candidate: SuspectCandidate) -> Suspect.Term? {
        var said: [String] = []
        if candidate.inconclusiveTicks > 0 { said.append("analysis inconclusive \(times(candidate.inconclusiveTicks))") }
        if candidate.pauses > 0 { said.append("paused \(times(candidate.pauses))") }
        guard !said.isEmpty else { return nil }
        let factor = min(2, 1 + 0.15 * Double(candidate.inconclusiveTicks) + 0.2 * Double(candidate.pauses))
        return Suspect.Term(name: "doubts", factor: factor, reason: said.joined(separator: ", "))
    }

    static func times(_ count: Int) -> String {
        switch count {
        case 1: "once"
        case 2: "twice"
        default: "\(count) times"
        }
    }

    /// "4 minutes", "2 hours", "40 seconds".
    static func ago(_ seconds: Double) -> String {
        func unit(_ value: Int, _ name: String) -> String { "\(value) \(name)\(value == 1 ? "" : "s")" }
        if seconds < 90 { return unit(Int(seconds.rounded()), "second") }
        if seconds < 5_400 { return unit(Int((seconds / 60).rounded()), "minute") }
        return unit(Int((seconds / 3_600).rounded()), "hour")
    }
}

extension Suspect {
    /// As stored with the incident, shown by the API and `incident suspects --format json`.
    public var json: JSONValue {
        var members: [(String, JSONValue)] = [
            ("reference", .string(candidate.reference)), ("kind", .string(candidate.kind.rawValue)),
            ("service", candidate.service.map(JSONValue.string) ?? .null),
            ("also_on", .array(candidate.alsoOn.map(JSONValue.string))), ("time", .string(candidate.time.rfc3339)),
            ("in_progress", .bool(candidate.isInProgress)), ("score", .double((score * 10_000).rounded() / 10_000)),
            ("explanation", .string(explanation)),
            (
                "terms",
                .array(
                    terms.map {
                        .object([
                            ("name", .string($0.name)), ("factor", .double(($0.factor * 10_000).rounded() / 10_000)),
                            ("reason", .string($0.reason)),
                        ])
                    })
            ),
            ("change", candidate.changeID.map { .int($0) } ?? .null),
            ("provenance", candidate.provenance.map(JSONValue.string) ?? .null),
        ]
        let rollback: JSONValue =
            switch candidate.rollback {
            case .abortRollout(let id)?: .object([("action", .string("abort")), ("rollout", .int(id))])
            case .undoRollout(let id, let service)?:
                .object([("action", .string("undo")), ("rollout", .int(id)), ("service", .string(service))])
            case .flipSwitch(let name, let enabled)?:
                .object([("action", .string("flip")), ("switch", .string(name)), ("enabled", .bool(enabled))])
            case nil: .null
            }
        members.append(("rollback", rollback))
        return .object(members)
    }
}
