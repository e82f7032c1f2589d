import BlastwallCore

extension CommandClassification {
    /// The classification as the API, `--format json` and MCP give it.
    public var json: JSONValue {
        .object([
            ("text", .string(text)), ("operation", .string(operation.rawValue)), ("opaque", .bool(isOpaque)),
            ("guard", .bool(isGuardWrite)), ("explanation", .string(explanation)),
            ("commands", .array(commands.map(\.json))),
        ])
    }
}

extension ClassifiedCommand {
    public var json: JSONValue {
        let strings = { (values: [String]) in JSONValue.array(values.map(JSONValue.string)) }
        return .object([
            ("text", .string(text)), ("tool", .string(tool)), ("verb", .string(verb)),
            ("operation", .string(operation.rawValue)),
            ("environment", .string(environment.name)), ("production", .bool(environment.isProduction)),
            ("environment_reason", .string(environment.reason)), ("services", strings(services)), ("resources", strings(resources)),
            ("wrappers", strings(invocation.wrappers)),
            (
                "findings",
                .array(
                    findings.map { finding in
                        .object([
                            ("operation", .string(finding.operation.rawValue)), ("words", .string(finding.words)),
                            ("reason", .string(finding.reason)), ("opaque", .bool(finding.isOpaque)),
                            ("guard", .bool(finding.isGuardWrite)),
                        ])
                    })
            ),
            ("explanation", .string(explanation)),
        ])
    }
}

extension AgentDecision {
    public var json: JSONValue {
        .object([
            ("verdict", .string(verdict.rawValue)), ("reason", .string(reason)), ("environment", .string(environment)),
            ("requirements", requirements == .none ? .null : requirements.json),
            ("owners", .object(owners.sorted { $0.key < $1.key }.map { ($0.key, .array($0.value.map(JSONValue.string))) })),
            ("classification", classification.json),
        ])
    }
}
