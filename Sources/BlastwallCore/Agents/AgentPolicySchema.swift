import CEL

/// The variables an `agent_rules:` condition can read, declared so that conditions are type-checked at load.
public enum AgentPolicySchema {
    static let command = ObjectType(
        name: "blastwall.Command",
        fields: [
            "tool": .string, "verb": .string, "operation": .string, "environment": .string, "production": .bool,
            "services": .list(.string), "resources": .list(.string), "flags": .list(.string), "text": .string,
            "opaque": .bool, "guard": .bool, "reasons": .list(.string),
        ])

    static let agent = ObjectType(
        name: "blastwall.Agent", fields: ["name": .string, "model": .string, "session": .string, "operator": .string])

    /// Declarations for `command`, `agent` and `now`.
    public static let declarations = Declarations(
        variables: ["command": .object(command.name), "agent": .object(agent.name), "now": .timestamp],
        objectTypes: [command, agent],
        sizeHints: CostEstimator.SizeHints(
            elements: ["command.services": 100, "command.resources": 1_000, "command.flags": 1_000, "command.reasons": 100],
            stringLengths: ["command.text": 65_536], defaultElements: 100, defaultStringLength: 256))

    /// Compiles a condition and requires it to produce a bool.
    public static func compileCondition(_ source: String) throws(Program.CompileError) -> Program {
        try PolicySchema.compileCondition(source, declarations: declarations)
    }
}
