import BlastwallCore

extension GateRequirements {
    /// Reads what the gate needs from a `blastwall check --format json` report.
    public init(report: JSONValue) throws(ControlPlaneError) {
        guard report["schema_version"] == .int(1) else {
            throw .invalid(field: "report", message: "expected a 'blastwall check --format json' report with schema_version 1")
        }
        guard let decisionText = report["decision"]?.stringValue, let decision = Decision(rawValue: decisionText) else {
            throw .invalid(field: "report.decision", message: "must be allow, review or deny")
        }
        let requirements = try Self.requirements(report["requirements"], field: "report.requirements")
        var owners: [String: [String]] = [:]
        if case .object(let members)? = report["requirements"]?["owners"] {
            for (service, list) in members { owners[service] = list.arrayValue?.compactMap(\.stringValue) ?? [] }
        }
        // Denials that approvals cannot lift: rule denials and conditions that failed to evaluate.
        let denials = (report["rule_matches"]?.arrayValue ?? []).compactMap { match -> String? in
            guard let name = match["name"]?.stringValue else { return nil }
            if let deny = match["deny"]?.stringValue { return "rule '\(name)': \(deny)" }
            if let error = match["error"]?.stringValue { return "rule '\(name)' could not be evaluated (\(error))" }
            return nil
        }
        var freezeOverride: Requirements?
        for freeze in report["freeze_details"]?.arrayValue ?? [] {
            let override = try Self.requirements(freeze["override"], field: "report.freeze_details.override")
            freezeOverride = freezeOverride.map { $0.merged(with: override) } ?? override
        }
        var authors: [Identity] = []
        // Authors, committers and co-authors: none of them may approve what they wrote.
        for commit in report["commits"]?.arrayValue ?? [] {
            let people = [commit["author"], commit["committer"]] + (commit["co_authors"]?.arrayValue ?? [])
            for person in people {
                if let name = person?["name"]?.stringValue, let email = person?["email"]?.stringValue {
                    let identity = Identity(name: name, email: email)
                    if !authors.contains(identity) { authors.append(identity) }
                }
            }
        }
        self.init(
            decision: decision, denials: denials, requirements: requirements, owners: owners, freezeOverride: freezeOverride,
            authors: authors)
    }

    static func requirements(_ value: JSONValue?, field: String) throws(ControlPlaneError) -> Requirements {
        guard let value, case .object = value else { throw .invalid(field: field, message: "is missing") }
        var requirements = Requirements()
        requirements.approvals = value["approvals"]?.intValue ?? 0
        requirements.owners = value["owners_mode"]?.stringValue.flatMap(Requirements.OwnersMode.init(rawValue:)) ?? .none
        if case .object(let groups)? = value["groups"] {
            for (group, count) in groups { requirements.groups[group] = count.intValue ?? 0 }
        }
        requirements.canary = value["canary"] == .bool(true)
        requirements.maxInitialWeight = value["max_initial_weight"]?.intValue
        return requirements
    }

    /// The form stored with a change.
    public var json: JSONValue {
        .object([
            ("decision", .string(decision.rawValue)),
            ("denials", .array(denials.map(JSONValue.string))),
            ("requirements", Self.json(requirements)),
            ("owners", .object(owners.sorted { $0.key < $1.key }.map { ($0.key, .array($0.value.map(JSONValue.string))) })),
            ("freeze_override", freezeOverride.map(Self.json) ?? .null),
            ("authors", .array(authors.map { .object([("name", .string($0.name)), ("email", .string($0.email))]) })),
        ])
    }

    public init(stored value: JSONValue) throws(ControlPlaneError) {
        guard let decision = value["decision"]?.stringValue.flatMap(Decision.init(rawValue:)) else {
            throw .storage("a stored change has no decision")
        }
        var owners: [String: [String]] = [:]
        if case .object(let members)? = value["owners"] {
            for (service, list) in members { owners[service] = list.arrayValue?.compactMap(\.stringValue) ?? [] }
        }
        let freeze: Requirements? = value["freeze_override"].flatMap { $0 == .null ? nil : $0 }.flatMap {
            try? Self.requirements($0, field: "")
        }
        self.init(
            decision: decision, denials: value["denials"]?.arrayValue?.compactMap(\.stringValue) ?? [],
            requirements: try Self.requirements(value["requirements"], field: "requirements"), owners: owners, freezeOverride: freeze,
            authors: (value["authors"]?.arrayValue ?? []).compactMap { author in
                guard let name = author["name"]?.stringValue, let email = author["email"]?.stringValue else { return nil }
                return Identity(name: name, email: email)
            })
    }

    static func json(_ requirements: Requirements) -> JSONValue { requirements.json }
}
