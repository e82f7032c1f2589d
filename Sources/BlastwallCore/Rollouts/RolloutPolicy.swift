/// What policy says about a rollout before it starts: the change's requirements and the service's tier caps.
public enum RolloutPolicy {
    /// Every reason the rollout may not start as written; empty when it may.
    public static func violations(of spec: RolloutSpec, requirements: Requirements?, tier: Int?, tierCaps: [Int: Int]) -> [String] {
        var problems: [String] = []
        let first = spec.initialWeight
        if requirements?.canary == true, first >= 100 {
            problems.append("the change requires a canary, but the first step sends 100% to \(spec.version); start lower")
        }
        if let cap = requirements?.maxInitialWeight, first > cap {
            problems.append("the change allows a first step of at most \(cap)%, but it is \(first)%")
        }
        if let tier, let cap = tierCaps[tier], first > cap {
            problems.append("\(spec.service) is tier \(tier), whose rollouts start at most at \(cap)%, but the first step is \(first)%")
        }
        return problems
    }
}
