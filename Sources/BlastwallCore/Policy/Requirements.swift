/// How many approvals a change needs, and from whom, before it may ship.
public struct Requirements: Sendable, Equatable {
    /// Which owners of the touched services must approve.
    public enum OwnersMode: String, Sendable, Comparable, CaseIterable {
        /// No owner approval is needed.
        case none
        /// One owner of any touched service (what GitHub's CODEOWNERS can say).
        case any
        /// One owner of every touched service.
        case all

        private var strength: Int {
            switch self {
            case .none: return 0
            case .any: return 1
            case .all: return 2
            }
        }

        public static func < (lhs: OwnersMode, rhs: OwnersMode) -> Bool { lhs.strength < rhs.strength }
    }

    /// Distinct human approvals in total.
    public var approvals: Int
    public var owners: OwnersMode
    /// Distinct approvals needed from members of each named group.
    public var groups: [String: Int]
    /// The change must ship through a canary rollout, never straight to 100%.
    public var canary: Bool
    /// The largest traffic weight (percent) allowed for the first rollout step.
    public var maxInitialWeight: Int?

    public init(
        approvals: Int = 0, owners: OwnersMode = .none, groups: [String: Int] = [:], canary: Bool = false, maxInitialWeight: Int? = nil
    ) {
        self.approvals = approvals
        self.owners = owners
        self.groups = groups
        self.canary = canary
        self.maxInitialWeight = maxInitialWeight
    }

    public static let none = Requirements()

    /// True when a person has to review: approvals, owners or groups are required.
    public var needsReview: Bool { approvals > 0 || owners != .none || groups.values.contains { $0 > 0 } }

    /// The strictest combination of two sets of requirements.
    public func merged(with other: Requirements) -> Requirements {
        var groups = self.groups
        for (group, count) in other.groups { groups[group] = max(groups[group] ?? 0, count) }
        let weights = [maxInitialWeight, other.maxInitialWeight].compactMap { $0 }
        return Requirements(
            approvals: max(approvals, other.approvals),
            owners: max(owners, other.owners),
            groups: groups,
            canary: canary || other.canary,
            maxInitialWeight: weights.min())
    }
}

extension Requirements {
    /// As the API writes requirements everywhere: `{"approvals": 2, "owners_mode": "all", "groups": {…}, …}`.
    public var json: JSONValue {
        .object([
            ("approvals", .int(Int64(approvals))), ("owners_mode", .string(owners.rawValue)),
            ("groups", .object(groups.sorted { $0.key < $1.key }.map { ($0.key, .int(Int64($0.value))) })),
            ("canary", .bool(canary)), ("max_initial_weight", maxInitialWeight.map { .int(Int64($0)) } ?? .null),
        ])
    }
}
