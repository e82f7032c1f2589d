import Mustache

/// The pages' templates, compiled into the binary as Swift strings: nothing to install beside it. Mustache
/// escapes every `{{value}}` for HTML; only `{{{body}}}`, which the renderer itself produced, is not.
public enum DashboardTemplates {
    static let all: [String: String] = [
        "layout": layout, "problem": problem, "sign-in": signIn, "changes": changes, "change": change,
        "rollouts": rollouts, "rollout": rollout,
        "incidents": incidents, "incident": incident, "dora": dora, "switches": switches, "audit": audit,
        "waiting": waiting, "waiting-changes": waitingChanges, "waiting-operations": waitingOperations,
    ]

    static func library() throws -> MustacheLibrary {
        var library = MustacheLibrary()
        for (name, text) in all { try library.register(text, named: name) }
        return library
    }
}
