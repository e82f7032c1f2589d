import BlastwallCore

/// Finds the environment a command acts in: from what the command names, else from its tool's own
/// configuration, else the agent's default; a production match wins over others.
struct EnvironmentResolver: Sendable {
    let environments: [EnvironmentDefinition]

    func resolve(commandSignals: [EnvironmentSignal], toolSignals: [EnvironmentSignal], defaultEnvironment: String) -> ResolvedEnvironment {
        if let found = firstMatch(commandSignals) { return found }
        if let found = firstMatch(toolSignals) { return found }
        let production =
            environments.first { $0.name == defaultEnvironment }?.isProduction
            ?? EnvironmentDefinition.soundsLikeProduction(defaultEnvironment)
        let named = commandSignals.first.map { "\($0.kind.noun) \($0.value) matches no environment" } ?? "names no environment"
        return ResolvedEnvironment(
            name: defaultEnvironment, isProduction: production, reason: "\(named): the agent's default, \(defaultEnvironment)")
    }

    private func firstMatch(_ signals: [EnvironmentSignal]) -> ResolvedEnvironment? {
        var matches: [ResolvedEnvironment] = []
        for signal in signals {
            for environment in environments {
                guard let pattern = environment.pattern(matching: signal.value, as: signal.kind) else { continue }
                let source: String =
                    switch signal.origin {
                    case .command: ""
                    case .toolConfiguration(let place): "\(place): "
                    }
                matches.append(
                    ResolvedEnvironment(
                        name: environment.name, isProduction: environment.isProduction,
                        reason: "\(source)\(signal.kind.noun) \(signal.value) matches \(pattern.source)"))
            }
        }
        return matches.first(where: \.isProduction) ?? matches.first
    }
}
