import BlastwallControlPlane
import BlastwallCore
import BlastwallStorage
import CommandGuard
import Hummingbird

/// `/api/v1/operations`: agents' commands decided by the server's policy, the requests escalations open, their
/// reviews and single-use grants.
enum OperationRoutes {
    static func json(_ view: ControlPlane.OperationView) -> JSONValue {
        let operation = view.operation
        return .object([
            ("id", .int(operation.id)), ("agent", .string(operation.agent)), ("model", operation.model.map(JSONValue.string) ?? .null),
            ("session", operation.session.map(JSONValue.string) ?? .null),
            ("operator", operation.operatorName.map(JSONValue.string) ?? .null), ("command", .string(operation.command)),
            ("command_sha256", .string(operation.commandHash)), ("directory", .string(operation.directory)),
            ("environment", .string(operation.environment)), ("state", .string(view.state.rawValue)),
            ("requirements", operation.requirements),
            ("owners", .object(operation.owners.sorted { $0.key < $1.key }.map { ($0.key, .array($0.value.map(JSONValue.string))) })),
            ("gate", ChangeRoutes.json(view.status)),
            (
                "reviews",
                .array(
                    view.reviews.map { review in
                        .object([
                            ("id", .int(review.id)), ("reviewer", .string(review.reviewer)), ("verdict", .string(review.verdict)),
                            ("comment", review.comment.map(JSONValue.string) ?? .null), ("created_at", .string(review.createdAt)),
                        ])
                    })
            ),
            ("decision", operation.decision), ("created_at", .string(operation.createdAt)), ("updated_at", .string(operation.updatedAt)),
            ("granted_at", operation.grantedAt.map(JSONValue.string) ?? .null),
            ("expires_at", operation.expiresAt.map(JSONValue.string) ?? .null),
            ("used_at", operation.usedAt.map(JSONValue.string) ?? .null),
        ])
    }

    static let questionFields: Set<String> = [
        "command", "file_writes", "tool", "directory", "working_tree", "home", "session", "tool_signals", "existing_paths",
    ]

    /// The question in a request body: a command, or file writes by a tool, with where it runs.
    static func question(_ body: JSONBody) throws -> ControlPlane.OperationQuestion {
        let action: HookRequest.Action
        if let command = try body.string("command") {
            action = .command(command)
        } else if let paths = try body.strings("file_writes") {
            action = .fileWrites(paths, tool: try body.string("tool") ?? "Write")
        } else if let tool = try body.string("tool") {
            action = .other(tool: tool)
        } else {
            throw Problem(.badRequest, "say what the agent wants to do: 'command', or 'file_writes' with 'tool'", field: "command")
        }
        let directory = try body.requiredString("directory")
        guard directory.hasPrefix("/") else {
            throw Problem(.badRequest, "'directory' must be an absolute path, not '\(directory)'", field: "directory")
        }
        var signals: [String: [EnvironmentSignal]] = [:]
        for (index, item) in (body.value("tool_signals")?.arrayValue ?? []).enumerated() {
            guard let tool = item["tool"]?.stringValue, let kindName = item["kind"]?.stringValue, let value = item["value"]?.stringValue,
                let kind = EnvironmentSignalKind(rawValue: kindName)
            else {
                throw Problem(
                    .badRequest,
                    "tool_signals[\(index)] needs 'tool', 'kind' (one of \(EnvironmentSignalKind.allCases.map(\.rawValue).joined(separator: ", "))) and 'value'",
                    field: "tool_signals")
            }
            signals[tool, default: []].append(
                EnvironmentSignal(kind, value, origin: .toolConfiguration(item["origin"]?.stringValue ?? "the client's tool configuration"))
            )
        }
        return ControlPlane.OperationQuestion(
            action: action, directory: directory, workingTree: try body.string("working_tree"), home: try body.string("home"),
            session: try body.string("session"), toolSignals: signals, existingPaths: Set(try body.strings("existing_paths") ?? []))
    }

    static func answer(_ answer: ControlPlane.OperationAnswer) -> JSONValue {
        .object([
            ("verdict", .string(answer.verdict.rawValue)), ("reason", .string(answer.reason)),
            ("operation", answer.operation.map(json) ?? .null), ("decision", answer.decision.json),
        ])
    }

    static func operationID(_ context: BlastwallRequestContext) throws -> Int64 { try context.positiveID(of: "operation") }

    static func routes(_ handle: ControlPlaneHandle, options: ServerOptions, metrics: ServerMetrics) -> [RouteSpec] {
        [
            RouteSpec(method: .post, path: "/api/v1/operations/check", access: .permission(.submitChange)) { request, _, principal in
                let body = try await JSONBody.read(request, limit: options.bodyLimit, allowed: questionFields)
                let result = try await handle.value.checkOperation(try question(body), by: principal!)
                metrics.count("blastwall_agent_decisions_total", [("verdict", result.verdict.rawValue)])
                return .json(answer(result))
            },
            RouteSpec(method: .post, path: "/api/v1/operations", access: .permission(.submitChange)) { request, _, principal in
                let body = try await JSONBody.read(request, limit: options.bodyLimit, allowed: questionFields)
                let result = try await handle.value.checkOperation(try question(body), by: principal!)
                metrics.count("blastwall_agent_decisions_total", [("verdict", result.verdict.rawValue)])
                return .json(answer(result), status: result.operation == nil ? .ok : .created)
            },
            RouteSpec(method: .get, path: "/api/v1/operations", access: .permission(.read)) { request, _, principal in
                let page = try Page(request)
                var state: OperationRecord.State?
                if let text = request.uri.queryParameters["state"] {
                    guard let parsed = OperationRecord.State(rawValue: String(text)) else {
                        throw Problem(
                            .badRequest, "state must be one of \(OperationRecord.State.allCases.map(\.rawValue).joined(separator: ", "))",
                            field: "state")
                    }
                    state = parsed
                }
                let views = try await handle.value.operations(state: state, after: page.after, limit: page.limit, by: principal!)
                let next = views.count == page.limit ? views.last.map { JSONValue.int($0.operation.id) } ?? .null : .null
                return .json(.object([("items", .array(views.map(json))), ("next_after", next)]))
            },
            RouteSpec(method: .get, path: "/api/v1/operations/:id", access: .permission(.read)) { _, context, principal in
                .json(json(try await handle.value.operation(id: try operationID(context), by: principal!)))
            },
            RouteSpec(method: .post, path: "/api/v1/operations/:id/reviews", access: .permission(.review)) { request, context, principal in
                let body = try await JSONBody.read(request, limit: options.bodyLimit, allowed: ["verdict", "comment"])
                guard let verdict = try body.enumeration("verdict", Review.Verdict.self) else {
                    throw Problem(.badRequest, "'verdict' is required: approve or reject", field: "verdict")
                }
                let view = try await handle.value.reviewOperation(
                    id: try operationID(context), verdict: verdict, comment: try body.string("comment"), by: principal!)
                return .json(json(view), status: .created)
            },
        ]
    }
}
