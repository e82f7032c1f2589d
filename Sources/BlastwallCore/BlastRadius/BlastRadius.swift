/// How far a change can reach: the services it touches plus every service that depends on them.
public struct BlastRadius: Sendable, Equatable {
    /// Touched services first (in configuration order), then dependents in the order they were reached.
    public var services: [String]
    /// Reached services that the change does not touch itself.
    public var dependents: [String]
    public var tiers: [String: Int]

    /// The most critical tier reached (1 is the most critical); 0 when no service is reached.
    public var maxTier: Int { tiers.values.min() ?? 0 }

    public init(touched: [String], tierOf tier: (String) -> Int, graph: DependencyGraph) {
        dependents = graph.transitiveDependents(of: touched)
        services = touched + dependents
        tiers = Dictionary(uniqueKeysWithValues: services.map { ($0, tier($0)) })
    }
}
