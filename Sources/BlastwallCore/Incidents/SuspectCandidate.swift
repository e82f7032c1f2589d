import CEL

/// Something that changed production before an incident, as the control plane recorded it: a rollout, a
/// flag, a kill switch, a lifted freeze, an agent's operation, a shipped change.
public struct SuspectCandidate: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// A rollout of a new version through a traffic router.
        case rollout
        /// A rollout through the percentage-flag router: a flag moving, no new binary.
        case flag
        /// A change to configuration (its classes say so) that shipped.
        case configuration
        /// A kill switch flipped on or off.
        case killSwitch = "switch"
        /// An AI agent's operation that ran (granted, or allowed by policy).
        case agentOperation = "agent_operation"
        /// A change whose gate was satisfied, shipped by other means than a rollout.
        case change
        /// A freeze lifted before its end.
        case freezeLifted = "freeze_lifted"
    }

    /// What undoing it takes, when Blastwall can do it.
    public enum Rollback: Sendable, Equatable {
        /// Abort a rollout still under way: traffic back to stable.
        case abortRollout(id: Int64)
        /// Undo a finished rollout: the service back to its previous version.
        case undoRollout(id: Int64, service: String)
        /// Flip a switch back to the state it had before.
        case flipSwitch(name: String, to: Bool)
    }

    public var kind: Kind
    /// A stable reference: `rollout/42`, `switch/checkout-v2`, `operation/7`, `change/17`, `freeze/3`.
    public var reference: String
    /// The service it acts on; nil when it is not tied to one (a switch, a global freeze).
    public var service: String?
    /// Other services it acts on too (a change touching several); reach takes the closest.
    public var alsoOn: [String]
    /// When it last acted: a rollout's latest step, a flip, a grant's use.
    public var time: Timestamp
    /// A rollout still moving traffic.
    public var isInProgress: Bool
    /// What it did, as a sentence's subject: "rollout 42 of checkout v2.3.1 reached 25%".
    public var summary: String
    /// The change behind it, when there is one: its id, risk score and level, and provenance kind.
    public var changeID: Int64?
    public var risk: Int?
    public var riskLevel: String?
    public var provenance: String?
    /// Doubts analysis already had: inconclusive ticks, pauses.
    public var inconclusiveTicks: Int
    public var pauses: Int
    public var rollback: Rollback?

    /// The change classes that make a change a configuration change rather than code.
    public static let configurationClasses: Set<String> = ["config", "infra"]

    public init(
        kind: Kind, reference: String, service: String?, alsoOn: [String] = [], time: Timestamp, isInProgress: Bool = false,
        summary: String,
        changeID: Int64? = nil, risk: Int? = nil, riskLevel: String? = nil, provenance: String? = nil, inconclusiveTicks: Int = 0,
        pauses: Int = 0, rollback: Rollback? = nil
    ) {
        self.kind = kind
        self.reference = reference
        self.service = service
        self.alsoOn = alsoOn
        self.time = time
        self.isInProgress = isInProgress
        self.summary = summary
        self.changeID = changeID
        self.risk = risk
        self.riskLevel = riskLevel
        self.provenance = provenance
        self.inconclusiveTicks = inconclusiveTicks
        self.pauses = pauses
        self.rollback = rollback
    }
}
