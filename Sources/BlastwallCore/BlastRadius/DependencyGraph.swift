/// Services and their `depends_on` edges, with the reverse edges the blast radius walks.
public struct DependencyGraph: Sendable {
    private let order: [String]
    private let dependencies: [String: [String]]
    private let dependents: [String: [String]]

    public init(services: [Service]) {
        order = services.map(\.name)
        let known = Set(order)
        var dependencies: [String: [String]] = [:]
        var dependents: [String: [String]] = [:]
        dependencies.reserveCapacity(services.count)
        for service in services {
            let edges = service.dependsOn.filter { known.contains($0) }
            dependencies[service.name] = edges
            for dependency in edges { dependents[dependency, default: []].append(service.name) }
        }
        self.dependencies = dependencies
        self.dependents = dependents
    }

    /// Services that depend on `service` directly.
    public func directDependents(of service: String) -> [String] { dependents[service] ?? [] }

    /// Every service that depends on any of `services`, directly or transitively, in breadth-first order.
    /// Cycles terminate because each service is visited once.
    public func transitiveDependents(of services: [String]) -> [String] {
        var visited = Set(services)
        var queue = services[...]
        var reached: [String] = []
        while let next = queue.popFirst() {
            for dependent in directDependents(of: next) where visited.insert(dependent).inserted {
                reached.append(dependent)
                queue.append(dependent)
            }
        }
        return reached
    }

    /// How far each service `service` depends on lies from it along `depends_on` edges: itself 0, a direct
    /// dependency 1, and so on (the shortest path). Services it does not depend on are absent.
    public func dependencyDistances(from service: String) -> [String: Int] {
        var distances = [service: 0]
        var queue = [service][...]
        while let next = queue.popFirst() {
            for dependency in dependencies[next] ?? [] where distances[dependency] == nil {
                distances[dependency] = distances[next]! + 1
                queue.append(dependency)
            }
        }
        return distances
    }

    /// Dependency cycles, each as the services of one strongly connected component in declaration order.
    public func cycles() -> [[String]] {
        // Tarjan's algorithm, iterative over declaration order so results are deterministic.
        var index = 0
        var indices: [String: Int] = [:]
        var lowLinks: [String: Int] = [:]
        var stack: [String] = []
        var onStack = Set<String>()
        var components: [[String]] = []

        func connect(_ service: String) {
            indices[service] = index
            lowLinks[service] = index
            index += 1
            stack.append(service)
            onStack.insert(service)
            for dependency in dependencies[service] ?? [] {
                if indices[dependency] == nil {
                    connect(dependency)
                    lowLinks[service] = min(lowLinks[service]!, lowLinks[dependency]!)
                } else if onStack.contains(dependency) {
                    lowLinks[service] = min(lowLinks[service]!, indices[dependency]!)
                }
            }
            if lowLinks[service] == indices[service] {
                var component: [String] = []
                while let member = stack.popLast() {
                    onStack.remove(member)
                    component.append(member)
                    if member == service { break }
                }
                let isSelfLoop = component.count == 1 && (dependencies[service] ?? []).contains(service)
                if component.count > 1 || isSelfLoop { components.append(component) }
            }
        }
        for service in order where indices[service] == nil { connect(service) }
        let position = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
        return components.map { $0.sorted { position[$0]! < position[$1]! } }.sorted { position[$0[0]]! < position[$1[0]]! }
    }
}
