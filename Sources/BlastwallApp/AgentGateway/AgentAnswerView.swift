import BlastwallCore
import CommandGuard

/// How `agent check`, `agent plan` and `exec --dry-run` print what they found.
public enum AgentAnswerView {
    public static func render(_ answer: CommandGate.Answer, json: Bool) -> String {
        if json {
            var fields: [(String, JSONValue)] = [("verdict", .string(answer.verdict.rawValue)), ("reason", .string(answer.reason))]
            if let operation = answer.operation { fields.append(("operation", operation)) }
            if let decision = answer.decision {
                fields.append(("environment", .string(decision.environment)))
                fields.append(("requirements", decision.requirements == .none ? .null : decision.requirements.json))
                fields.append(("classification", decision.classification.json))
            }
            return JSONValue.object(fields).serialized() + "\n"
        }
        var text = "\(answer.verdict.rawValue): \(answer.reason)\n"
        for command in answer.decision?.classification.commands ?? [] {
            text += "  \(command.explanation)\n"
        }
        return text
    }

    public static func render(_ plan: TerraformPlanClassification, json: Bool) -> String {
        if json {
            return JSONValue.object([
                ("operation", .string(plan.operation.rawValue)), ("summary", .string(plan.summary)),
                (
                    "counts",
                    .object(
                        plan.counts.sorted { $0.key < $1.key }.map { action, types in
                            (action, .object(types.sorted { $0.key < $1.key }.map { ($0.key, .int(Int64($0.value))) }))
                        })
                ),
                (
                    "changes",
                    .array(
                        plan.changes.filter { $0.action != "no-op" }.map {
                            .object([("address", .string($0.address)), ("type", .string($0.type)), ("action", .string($0.action))])
                        })
                ),
            ]).serialized() + "\n"
        }
        var text = plan.summary + "\n"
        for change in plan.changes where change.action == "delete" || change.action == "replace" {
            text += "  \(change.action) \(change.address)\n"
        }
        return text
    }
}
