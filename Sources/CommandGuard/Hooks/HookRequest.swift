import BlastwallCore

/// What an agent's hook asks, read from the JSON its harness writes on standard input: Claude Code's (and
/// Codex CLI's) `PreToolUse`, or Cursor's `beforeShellExecution`.
public struct HookRequest: Sendable, Equatable {
    public enum Format: String, Sendable, CaseIterable {
        case claude, cursor
    }

    public enum Action: Sendable, Equatable {
        /// A shell command line.
        case command(String)
        /// The agent's own file tool writing files (`Write`, `Edit`, `apply_patch`).
        case fileWrites([String], tool: String)
        /// A tool that runs no command and writes no file (`Read`, `Grep`, an MCP tool).
        case other(tool: String)
    }

    public var action: Action
    public var session: String?
    public var directory: String?

    public init(action: Action, session: String? = nil, directory: String? = nil) {
        self.action = action
        self.session = session
        self.directory = directory
    }

    /// Why a hook's input cannot be read, said so that the deny it causes explains itself.
    public struct Malformed: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    static let shellTools: Set<String> = ["Bash", "bash", "shell", "Shell", "exec_command", "local_shell", "run_shell_command"]
    static let fileTools: [String: String] = [
        "Write": "file_path", "Edit": "file_path", "MultiEdit": "file_path", "NotebookEdit": "notebook_path", "StrReplace": "file_path",
        "write_file": "path", "edit_file": "path", "replace": "file_path",
    ]

    public static func parse(_ text: String, format: Format) throws(Malformed) -> HookRequest {
        let json: JSONValue
        do {
            json = try JSONParser.parse(text)
        } catch {
            throw Malformed(description: "the hook's input is not JSON (\(error)); the hook expects the harness's JSON on standard input")
        }
        guard case .object = json else { throw Malformed(description: "the hook's input is not a JSON object") }
        let session = json["session_id"]?.stringValue ?? json["conversation_id"]?.stringValue
        let directory = json["cwd"]?.stringValue ?? json["workspace_roots"]?.arrayValue?.first?.stringValue
        switch format {
        case .cursor:
            guard let command = json["command"]?.stringValue else {
                throw Malformed(description: "Cursor's beforeShellExecution input has no 'command' string")
            }
            return HookRequest(action: .command(command), session: session, directory: directory)
        case .claude:
            guard let tool = json["tool_name"]?.stringValue else {
                throw Malformed(description: "the PreToolUse input has no 'tool_name'; is the hook registered under PreToolUse?")
            }
            let input = json["tool_input"]
            if shellTools.contains(tool) {
                if let command = input?["command"]?.stringValue {
                    return HookRequest(action: .command(command), session: session, directory: directory)
                }
                // Codex passes the command as its arguments: `["bash", "-lc", "…"]`.
                if let words = input?["command"]?.arrayValue?.compactMap(\.stringValue), !words.isEmpty {
                    return HookRequest(action: .command(words.map(quoted).joined(separator: " ")), session: session, directory: directory)
                }
                throw Malformed(description: "the \(tool) tool's input has no 'command'")
            }
            if let field = fileTools[tool] {
                guard let path = input?[field]?.stringValue else {
                    throw Malformed(description: "the \(tool) tool's input has no '\(field)'")
                }
                return HookRequest(action: .fileWrites([path], tool: tool), session: session, directory: directory)
            }
            if tool == "apply_patch" {
                let patch =
                    input?["input"]?.stringValue ?? input?["patch"]?.stringValue ?? input?["command"]?.arrayValue?.last?.stringValue ?? ""
                return HookRequest(action: .fileWrites(patchedFiles(patch), tool: tool), session: session, directory: directory)
            }
            return HookRequest(action: .other(tool: tool), session: session, directory: directory)
        }
    }

    /// The files an `apply_patch` envelope adds, updates, deletes or moves to.
    static func patchedFiles(_ patch: String) -> [String] {
        let markers = ["*** Add File: ", "*** Update File: ", "*** Delete File: ", "*** Move to: "]
        return patch.split(separator: "\n").compactMap { line in
            markers.first { line.hasPrefix($0) }.map { String(line.dropFirst($0.count)).trimmingSpaces }
        }
    }

    /// A word quoted for a POSIX shell, unless it needs none.
    public static func quoted(_ word: String) -> String {
        let plain = !word.isEmpty && word.allSatisfy { $0.isLetter || $0.isNumber || "-_./=:,@%+".contains($0) }
        return plain ? word : "'" + word.replacing("'", with: #"'\''"#) + "'"
    }
}

/// The hook's answer in the harness's own shape; it always exits 0, the decision is in the JSON.
public enum HookAnswer {
    public static func render(_ verdict: AgentDecision.Verdict, reason: String, format: HookRequest.Format) -> String {
        // An escalation waits for other people: to the agent it is a deny that says what it waits for.
        let permission = verdict == .escalate ? "deny" : verdict.rawValue
        let json: JSONValue =
            switch format {
            case .claude:
                .object([
                    (
                        "hookSpecificOutput",
                        .object([
                            ("hookEventName", .string("PreToolUse")), ("permissionDecision", .string(permission)),
                            ("permissionDecisionReason", .string(reason)),
                        ])
                    )
                ])
            case .cursor:
                .object([("permission", .string(permission)), ("user_message", .string(reason)), ("agent_message", .string(reason))])
            }
        return json.serialized(pretty: false)
    }
}
