import Yams

/// `forge:`, and `groups:` whose members may come from forge teams.
extension ConfigurationLoader {
    static let forgeKeys = ["unmapped_reviewers", "dismiss_stale", "ai_accounts", "labels"]
    static let labelKeys = ["ai_assisted", "tier", "needs_owners"]
    static let groupKeys = ["members"] + ForgeTeam.keys.keys.sorted()

    /// A group is a list of members, or a mapping of `members` and forge teams.
    static func groups(_ node: Node, _ reader: inout YAMLReader) -> (members: [String: [String]], teams: [String: [ForgeTeam]]) {
        var groups: [String: [String]] = [:]
        var teams: [String: [ForgeTeam]] = [:]
        for entry in reader.mapping(node, "groups") ?? [] {
            let context = "group '\(entry.key)'"
            guard case .mapping = entry.value else {
                groups[entry.key] = reader.handles(entry.value, "the members of \(context)") ?? []
                continue
            }
            groups[entry.key] = []
            for field in reader.mapping(entry.value, context, allowedKeys: groupKeys) ?? [] {
                if field.key == "members" {
                    groups[entry.key] = reader.handles(field.value, "the members of \(context)") ?? []
                    continue
                }
                guard let forge = ForgeTeam.keys[field.key] else { continue }
                for path in reader.strings(field.value, "\(field.key) of \(context)") ?? [] {
                    let parts = path.split(separator: "/", omittingEmptySubsequences: false)
                    if forge != "gitlab", parts.count != 2 || parts.contains(where: \.isEmpty) {
                        reader.error(
                            "\(field.key) of \(context) must be ORGANIZATION/TEAM, such as acme/senior-eng, not '\(path)'", at: field.value)
                        continue
                    }
                    teams[entry.key, default: []].append(ForgeTeam(forge: forge, path: path))
                }
            }
        }
        return (groups, teams)
    }

    static func forge(_ node: Node, _ reader: inout YAMLReader) -> ForgeSettings {
        var settings = ForgeSettings()
        for field in reader.mapping(node, "forge", allowedKeys: forgeKeys) ?? [] {
            switch field.key {
            case "unmapped_reviewers":
                settings.unmappedReviewers =
                    reader.choice(field.value, "forge.unmapped_reviewers", of: ForgeSettings.UnmappedReviewers.self)
                    ?? settings.unmappedReviewers
            case "dismiss_stale":
                settings.dismissStale = reader.bool(field.value, "forge.dismiss_stale") ?? settings.dismissStale
            case "ai_accounts":
                settings.aiAccounts = reader.strings(field.value, "forge.ai_accounts") ?? []
            case "labels":
                settings.labels = labels(field.value, &reader)
            default: break
            }
        }
        return settings
    }

    /// `labels: false` turns labels off; a mapping renames them, and a null name drops one.
    private static func labels(_ node: Node, _ reader: inout YAMLReader) -> ForgeSettings.Labels {
        if case .scalar = node {
            if reader.bool(node, "forge.labels (false, or a mapping of ai_assisted, tier and needs_owners)") == false { return .none }
            return ForgeSettings.Labels()
        }
        var labels = ForgeSettings.Labels()
        for field in reader.mapping(node, "forge.labels", allowedKeys: labelKeys) ?? [] {
            let name = YAMLReader.isNull(field.value) ? nil : reader.string(field.value, "forge.labels.\(field.key)")
            switch field.key {
            case "ai_assisted": labels.aiAssisted = name
            case "tier":
                if let name, !name.contains("{tier}") {
                    reader.error(
                        "forge.labels.tier must contain {tier}, which becomes the tier's number, as in blastwall/tier-{tier}",
                        at: field.value)
                }
                labels.tier = name
            case "needs_owners": labels.needsOwners = name
            default: break
            }
        }
        return labels
    }
}
