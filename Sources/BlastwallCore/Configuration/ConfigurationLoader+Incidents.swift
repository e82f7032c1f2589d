import CEL
import Yams

/// `incidents:`.
extension ConfigurationLoader {
    static let incidentKeys = ["service_labels", "window", "auto_rollback"]
    static let autoRollbackKeys = ["min_score", "kinds"]

    static func incidents(_ node: Node, _ reader: inout YAMLReader) -> IncidentSettings {
        var settings = IncidentSettings()
        for field in reader.mapping(node, "incidents", allowedKeys: incidentKeys) ?? [] {
            switch field.key {
            case "service_labels":
                let labels = reader.strings(field.value, "incidents.service_labels") ?? []
                if labels.isEmpty {
                    reader.error("incidents.service_labels needs at least one label name, such as [service, app]", at: field.value)
                } else {
                    settings.serviceLabels = labels
                }
            case "window":
                settings.window = reader.seconds(field.value, "incidents.window", atLeast: 60) ?? settings.window
            case "auto_rollback":
                settings.autoRollback = autoRollback(field.value, &reader)
            default: break
            }
        }
        return settings
    }

    private static func autoRollback(_ node: Node, _ reader: inout YAMLReader) -> IncidentSettings.AutoRollback? {
        var minimum: Double?
        var kinds = IncidentSettings.AutoRollback.allowedKinds
        for field in reader.mapping(node, "incidents.auto_rollback", allowedKeys: autoRollbackKeys) ?? [] {
            switch field.key {
            case "min_score": minimum = reader.double(field.value, "incidents.auto_rollback.min_score", in: 0...10)
            case "kinds":
                var chosen: Set<SuspectCandidate.Kind> = []
                for item in reader.sequence(field.value, "incidents.auto_rollback.kinds") ?? [] {
                    guard let name = reader.string(item, "a kind of incidents.auto_rollback.kinds") else { continue }
                    let allowed = IncidentSettings.AutoRollback.allowedKinds.map(\.rawValue).sorted()
                    guard let kind = SuspectCandidate.Kind(rawValue: name), IncidentSettings.AutoRollback.allowedKinds.contains(kind) else {
                        reader.error(
                            "incidents.auto_rollback.kinds names '\(name)'; automation may undo only \(allowed.joined(separator: " and "))"
                                + Suggestion.hint(for: name, among: allowed), at: item)
                        continue
                    }
                    chosen.insert(kind)
                }
                kinds = chosen
            default: break
            }
        }
        guard let minimum else {
            reader.error("incidents.auto_rollback needs min_score: the score the top suspect must reach, such as 0.5", at: node)
            return nil
        }
        return IncidentSettings.AutoRollback(minimumScore: minimum, kinds: kinds)
    }
}
