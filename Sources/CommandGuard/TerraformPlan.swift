import BlastwallCore

/// A `terraform show -json` plan, classified: every resource change's actions, deletions and replacements
/// counted by resource type.
public struct TerraformPlanClassification: Sendable {
    public struct Change: Sendable, Equatable {
        public var address: String
        public var type: String
        /// `create`, `update`, `delete`, `replace`, `read` or `no-op`.
        public var action: String
    }

    public var changes: [Change]

    public var operation: OperationClass {
        if changes.contains(where: { $0.action == "delete" || $0.action == "replace" }) { return .destructive }
        return changes.contains { $0.action == "create" || $0.action == "update" } ? .write : .read
    }

    /// Action → resource type → count.
    public var counts: [String: [String: Int]] {
        var counts: [String: [String: Int]] = [:]
        for change in changes { counts[change.action, default: [:]][change.type, default: 0] += 1 }
        return counts
    }

    /// "destructive: 2 to delete (aws_db_instance 1, aws_s3_bucket 1), 1 to replace (aws_instance 1), 3 to create".
    public var summary: String {
        var parts: [String] = []
        for action in ["delete", "replace", "create", "update"] {
            guard let byType = counts[action] else { continue }
            let total = byType.values.reduce(0, +)
            let types = byType.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            parts.append("\(total) to \(action)" + (action == "delete" || action == "replace" ? " (\(types))" : ""))
        }
        return "\(operation.rawValue): " + (parts.isEmpty ? "no changes" : parts.joined(separator: ", "))
    }

    public struct Malformed: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    public static func classify(_ text: String) throws(Malformed) -> TerraformPlanClassification {
        let json: JSONValue
        do { json = try JSONParser.parse(text) } catch {
            throw Malformed(description: "the plan is not JSON (\(error)); write it with: terraform show -json PLANFILE > plan.json")
        }
        guard json["format_version"] != nil || json["resource_changes"] != nil else {
            throw Malformed(
                description: "this JSON is not a terraform plan (no 'resource_changes'); write it with: terraform show -json PLANFILE")
        }
        var changes: [Change] = []
        for (index, item) in (json["resource_changes"]?.arrayValue ?? []).enumerated() {
            guard let actions = item["change"]?["actions"]?.arrayValue?.compactMap(\.stringValue) else {
                throw Malformed(description: "resource_changes[\(index)] has no change.actions")
            }
            let action: String =
                switch actions {
                case ["delete", "create"], ["create", "delete"]: "replace"
                case let single where single.count == 1: single[0]
                default: actions.joined(separator: "+")
                }
            changes.append(
                Change(
                    address: item["address"]?.stringValue ?? "resource_changes[\(index)]", type: item["type"]?.stringValue ?? "unknown",
                    action: action))
        }
        return TerraformPlanClassification(changes: changes)
    }
}
