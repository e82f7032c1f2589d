/// `incidents:` in `blastwall.yml`: where an alert's service comes from, how far back suspects are looked
/// for, and whether the top suspect is rolled back without asking.
public struct IncidentSettings: Sendable, Equatable {
    /// Rolls back the top suspect at once when it is of one of `kinds` and scores at least `minimumScore`.
    public struct AutoRollback: Sendable, Equatable {
        public var minimumScore: Double
        public var kinds: Set<SuspectCandidate.Kind>

        public init(minimumScore: Double, kinds: Set<SuspectCandidate.Kind>) {
            self.minimumScore = minimumScore
            self.kinds = kinds
        }

        /// The kinds automation may undo: a running rollout, or a flag rollout.
        public static let allowedKinds: Set<SuspectCandidate.Kind> = [.rollout, .flag]
    }

    /// Alert labels naming the service, tried in order (`incidents.service_labels`).
    public var serviceLabels = ["service"]
    /// How far before an incident's start changes are suspects, in seconds (`incidents.window`, 24h).
    public var window: Double = 86_400
    /// Off unless configured.
    public var autoRollback: AutoRollback?

    public init() {}
}
