import CEL

/// Applies rules and freezes to an analysed change and reaches a decision.
public struct PolicyEvaluator: Sendable {
    public let configuration: Configuration

    public init(configuration: Configuration) {
        self.configuration = configuration
    }

    public struct Verdict: Sendable {
        public var decision: Decision
        public var reasons: [String]
        public var warnings: [String]
        public var requirements: Requirements
        public var requiredOwners: [String: [String]]
        public var matchedRules: [RuleMatch]
        public var activeFreezes: [ActiveFreeze]
    }

    /// Conditions that fail to evaluate count as matched denials: the gate fails closed.
    /// `policyFiles`: the changed paths that are part of the policy itself (`Configuration.isPolicyFile`).
    public func evaluate(_ activation: Activation, now: Timestamp, touched: [TouchedService], policyFiles: [String] = []) -> Verdict {
        var matched: [RuleMatch] = []
        var denials: [String] = []
        var warnings: [String] = []
        var requirements = Requirements.none
        var reviewReasons: [String] = []

        for rule in configuration.rules {
            let outcome = Self.holds(rule.condition, activation)
            switch outcome {
            case .failure(let error):
                let message = "rule '\(rule.name)' could not be evaluated (\(error.message)); failing closed"
                matched.append(RuleMatch(name: rule.name, location: rule.location, error: error.message))
                denials.append(message)
            case .success(false):
                continue
            case .success(true):
                matched.append(RuleMatch(name: rule.name, require: rule.require, warn: rule.warn, deny: rule.deny, location: rule.location))
                if let deny = rule.deny { denials.append("rule '\(rule.name)': \(deny)") }
                if let warn = rule.warn { warnings.append("rule '\(rule.name)': \(warn)") }
                if let require = rule.require {
                    requirements = requirements.merged(with: require)
                    if require.needsReview { reviewReasons.append("rule '\(rule.name)' requires \(Self.describe(require))") }
                }
            }
        }

        var freezes: [ActiveFreeze] = []
        for freeze in configuration.freezes where freeze.isInWindow(at: now) {
            var applies = true
            if let condition = freeze.condition {
                switch Self.holds(condition, activation) {
                case .success(let flag): applies = flag
                case .failure: applies = true  // an unevaluable freeze condition keeps the freeze on
                }
            }
            guard applies else { continue }
            freezes.append(ActiveFreeze(name: freeze.name, until: freeze.until, reason: freeze.reason, override: freeze.override))
            denials.append(
                "freeze '\(freeze.name)' is active until \(freeze.until.rfc3339): \(freeze.reason) (an override needs \(Self.describe(freeze.override)))"
            )
        }

        let policyOwners = policyOwners(of: policyFiles)
        if !policyFiles.isEmpty {
            let files = policyFiles.joined(separator: ", ")
            if policyOwners.isEmpty {
                requirements = requirements.merged(with: Requirements(approvals: 2))
                reviewReasons.append("this change edits the policy (\(files)), which names no owners: 2 approvals")
                warnings.append("the policy names no owners; set 'policy_owners' so that a change to it needs one of them")
            } else {
                requirements = requirements.merged(with: Requirements(approvals: 1, owners: .all))
                reviewReasons.append("this change edits the policy (\(files)): an owner of the policy must approve")
            }
        }

        var requiredOwners: [String: [String]] = [:]
        if !policyOwners.isEmpty { requiredOwners[Self.policyOwnersKey] = policyOwners }
        if requirements.owners != .none {
            for service in touched {
                requiredOwners[service.name] = service.owners
                if service.owners.isEmpty {
                    warnings.append(
                        "service '\(service.name)' has no owners, so owner approval for it cannot be given; add 'owners' or a CODEOWNERS entry"
                    )
                }
            }
        }
        let decision: Decision = !denials.isEmpty ? .deny : (requirements.needsReview ? .review : .allow)
        let reasons = decision == .deny ? denials : (decision == .review ? reviewReasons : [])
        return Verdict(
            decision: decision, reasons: reasons, warnings: warnings, requirements: requirements,
            requiredOwners: requiredOwners, matchedRules: matched, activeFreezes: freezes)
    }

    /// The name the policy's owners go by among a change's required owners, beside its services.
    public static let policyOwnersKey = "blastwall-policy"

    /// `policy_owners`, or else the CODEOWNERS owners of the changed policy files.
    func policyOwners(of files: [String]) -> [String] {
        guard !files.isEmpty else { return [] }
        if !configuration.policyOwners.isEmpty { return configuration.policyOwners }
        return Array(Set(files.flatMap { configuration.codeowners?.owners(of: $0)?.owners ?? [] })).sorted()
    }

    /// Whether a condition holds; an evaluation error, or a value that is not a bool, is a failure.
    public static func holds(_ program: Program, _ activation: Activation) -> Result<Bool, EvalError> {
        do {
            let value = try program.evaluate(activation)
            guard case .bool(let flag) = value else {
                return .failure(EvalError(.noMatchingOverload, "the condition produced \(value.debugDescription), not a bool"))
            }
            return .success(flag)
        } catch {
            return .failure(error)
        }
    }

    /// "2 approvals, an owner of every touched service, 1 of group 'senior', a canary".
    public static func describe(_ requirements: Requirements) -> String {
        var parts: [String] = []
        if requirements.approvals > 0 {
            parts.append("\(requirements.approvals) approval\(requirements.approvals == 1 ? "" : "s")")
        }
        switch requirements.owners {
        case .all: parts.append("an owner of every touched service")
        case .any: parts.append("an owner of any touched service")
        case .none: break
        }
        for (group, count) in requirements.groups.sorted(by: { $0.key < $1.key }) { parts.append("\(count) of group '\(group)'") }
        if requirements.canary { parts.append("a canary rollout") }
        if let weight = requirements.maxInitialWeight { parts.append("a first step of at most \(weight)%") }
        return parts.isEmpty ? "nothing" : parts.joined(separator: ", ")
    }
}
