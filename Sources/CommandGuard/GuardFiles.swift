import BlastwallCore

/// The guard's own configuration: an agent that could edit it could widen its own scopes, so writing any of
/// these is destructive in every environment, through a shell or the agent's own file tools.
public enum GuardFiles {
    /// Names any guard file's path holds: a path without one is not a guard file (the common, fast answer).
    static let markers: Set<Substring> = [
        "blastwall.yml", "blastwall.yaml", ".blastwall.yml", "CODEOWNERS", ".cursor", ".codex", ".github", ".claude", ".cache",
    ]

    /// Whether a path relative to the working tree, or any path judged by where it ends, is the guard's
    /// configuration: `blastwall.yml` (any of its names), CODEOWNERS, `.github/workflows/`, `.cursor/hooks.json`,
    /// `.codex/`, `.claude/settings*.json` and `.claude/hooks`, and the cache of loaded configurations.
    public static func isGuardFile(_ path: String) -> Bool {
        let components = path.split(separator: "/").filter { $0 != "." }
        guard components.contains(where: markers.contains) else { return false }
        for start in components.indices where isGuardFile(components[start...]) { return true }
        return false
    }

    private static func isGuardFile(_ tail: ArraySlice<Substring>) -> Bool {
        guard let first = tail.first else { return false }
        let second = tail.dropFirst().first
        switch first {
        case "blastwall.yml", "blastwall.yaml", ".blastwall.yml", "CODEOWNERS": return tail.count == 1
        case ".github": return second == "workflows" || (second.map { ["blastwall.yml", "CODEOWNERS"].contains($0) } ?? false)
        case ".cursor": return second == "hooks.json"
        case ".codex": return true
        case ".claude": return second.map { $0.hasPrefix("settings") || $0 == "hooks" } ?? true
        case ".cache": return second == "blastwall"
        default: return false
        }
    }
}
