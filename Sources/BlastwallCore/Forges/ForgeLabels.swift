/// The labels a pull request should carry, from what the analysis and the gate say (`forge.labels`).
public enum ForgeLabels {
    /// - Parameters:
    ///   - provenance: the change's provenance kind (`human`, `ai-assisted`, …).
    ///   - tiers: the tiers of the services it touches.
    public static func wanted(_ labels: ForgeSettings.Labels, provenance: String, tiers: [Int], status: GateStatus) -> Set<String> {
        var wanted: Set<String> = []
        if let name = labels.aiAssisted, provenance.hasPrefix("ai") { wanted.insert(name) }
        if let template = labels.tier, let tier = tiers.min() { wanted.insert(template.replacing("{tier}", with: String(tier))) }
        if let name = labels.needsOwners, status.state == .pending, status.missing.contains(where: { $0.contains("owner of") }) {
            wanted.insert(name)
        }
        return wanted
    }

    /// What to add and what to remove, given what the server added before: labels people set are never removed.
    public static func changes(wanted: Set<String>, added previously: Set<String>, present: Set<String>?) -> (
        add: [String], remove: [String]
    ) {
        let add = wanted.subtracting(present ?? previously).sorted()
        let remove = previously.subtracting(wanted).sorted()
        return (add, remove)
    }
}
