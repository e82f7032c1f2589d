/// The guard's own configuration: an agent that could edit it could widen its own scopes, so writing any of
/// these is destructive in every environment, through a shell or the agent's own file tools.
public enum GuardFiles {
    static let exactPaths: Set<String> = [
        "blastwall.yml", "blastwall.yaml", ".blastwall.yml", ".github/blastwall.yml", "CODEOWNERS", ".github/CODEOWNERS",
        "docs/CODEOWNERS", ".cursor/hooks.json", ".gitlab/CODEOWNERS",
    ]
    static let prefixes = [".codex/", ".github/workflows/", ".claude/"]

    /// Whether a path relative to the working tree (or any absolute path, judged by its last components) is the
    /// guard's configuration.
    public static func isGuardFile(_ path: String) -> Bool {
        var path = Substring(path)
        while path.hasPrefix("./") { path = path.dropFirst(2) }
        if exactPaths.contains(String(path)) { return true }
        for prefix in prefixes where path.hasPrefix(prefix) || path == prefix.dropLast() {
            // `.claude/` holds more than settings; its settings files and hooks are what matter.
            if prefix == ".claude/" { return path.hasPrefix(".claude/settings") || path.hasPrefix(".claude/hooks") || path == ".claude" }
            return true
        }
        // An absolute path or one from elsewhere: judge by where it ends.
        for exact in exactPaths where path.hasSuffix("/" + exact) { return true }
        for prefix in prefixes where path.contains("/" + prefix) || path.hasSuffix("/" + prefix.dropLast()) {
            if prefix == ".claude/" { return path.contains("/.claude/settings") || path.contains("/.claude/hooks") }
            return true
        }
        // The user's own Claude Code and Codex settings, and the cache of loaded configurations.
        return path.hasSuffix("/.claude/settings.json") || path.contains("/.cache/blastwall/")
    }
}
