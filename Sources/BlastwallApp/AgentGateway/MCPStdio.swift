import BlastwallCore
import Foundation

/// The Model Context Protocol's server side over standard input and output: newline-delimited JSON-RPC 2.0
/// with `initialize`, `ping`, `tools/list` and `tools/call`.
///
/// Written here rather than taken from `modelcontextprotocol/swift-sdk`: that package resolves, but its MCP
/// target imports FoundationNetworking (its HTTP transport and OAuth), which needs libcurl, and the release
/// binary links Swift's runtime statically, where no libcurl can be linked. A tools-only stdio server needs
/// only this much.
public struct MCPStdio: Sendable {
    public struct Tool: Sendable {
        public var name: String
        public var description: String
        public var inputSchema: JSONValue
        /// `readOnlyHint`, `destructiveHint`.
        public var annotations: [(String, JSONValue)]

        public init(name: String, description: String, inputSchema: JSONValue, annotations: [(String, JSONValue)] = []) {
            self.name = name
            self.description = description
            self.inputSchema = inputSchema
            self.annotations = annotations
        }
    }

    /// A tool's answer: text, and whether it is an error the agent should see as one.
    public struct Reply: Sendable {
        public var text: String
        public var isError: Bool

        public init(_ text: String, isError: Bool = false) {
            self.text = text
            self.isError = isError
        }
    }

    public var name: String
    public var version: String
    public var tools: [Tool]
    public var call: @Sendable (String, JSONValue) async -> Reply

    public init(name: String, version: String, tools: [Tool], call: @escaping @Sendable (String, JSONValue) async -> Reply) {
        self.name = name
        self.version = version
        self.tools = tools
        self.call = call
    }

    /// Protocol revisions whose tool messages this server speaks; the client's is echoed when known.
    static let protocolVersions = ["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"]

    /// Serves until standard input ends.
    public func serve() async {
        while let line = readLine(strippingNewline: true) {
            guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
            if let response = await respond(to: line) {
                FileHandle.standardOutput.write(Data((response.serialized(pretty: false) + "\n").utf8))
            }
        }
    }

    /// The response to one message, or nil for a notification.
    public func respond(to line: String) async -> JSONValue? {
        let message: JSONValue
        do {
            message = try JSONParser.parse(line)
        } catch {
            return Self.error(id: .null, code: -32700, "parse error: \(error)")
        }
        guard case .object = message, message["jsonrpc"] == .string("2.0"), let method = message["method"]?.stringValue else {
            // A response from the client (this server asks nothing) or a malformed message.
            if message["method"] == nil, message["id"] != nil, message["result"] != nil || message["error"] != nil { return nil }
            return Self.error(id: message["id"] ?? .null, code: -32600, "invalid request: a JSON-RPC 2.0 object with a 'method'")
        }
        guard let id = message["id"] else { return nil }  // notifications: initialized, cancelled, …
        let parameters = message["params"] ?? .object([])
        switch method {
        case "initialize":
            let asked = parameters["protocolVersion"]?.stringValue ?? ""
            let version = Self.protocolVersions.contains(asked) ? asked : Self.protocolVersions[0]
            return Self.result(
                id: id,
                .object([
                    ("protocolVersion", .string(version)),
                    ("capabilities", .object([("tools", .object([("listChanged", .bool(false))]))])),
                    ("serverInfo", .object([("name", .string(name)), ("version", .string(self.version))])),
                ]))
        case "ping":
            return Self.result(id: id, .object([]))
        case "tools/list":
            return Self.result(id: id, .object([("tools", .array(tools.map(Self.json)))]))
        case "tools/call":
            guard let tool = parameters["name"]?.stringValue else {
                return Self.error(id: id, code: -32602, "tools/call needs 'name'")
            }
            guard tools.contains(where: { $0.name == tool }) else {
                return Self.error(
                    id: id, code: -32602, "unknown tool '\(tool)'; the tools are \(tools.map(\.name).joined(separator: ", "))")
            }
            let reply = await call(tool, parameters["arguments"] ?? .object([]))
            return Self.result(
                id: id,
                .object([
                    ("content", .array([.object([("type", .string("text")), ("text", .string(reply.text))])])),
                    ("isError", .bool(reply.isError)),
                ]))
        default:
            return Self.error(id: id, code: -32601, "method not found: \(method)")
        }
    }

    static func json(_ tool: Tool) -> JSONValue {
        .object([
            ("name", .string(tool.name)), ("description", .string(tool.description)), ("inputSchema", tool.inputSchema),
            ("annotations", .object(tool.annotations)),
        ])
    }

    static func result(id: JSONValue, _ result: JSONValue) -> JSONValue {
        .object([("jsonrpc", .string("2.0")), ("id", id), ("result", result)])
    }

    static func error(id: JSONValue, code: Int64, _ message: String) -> JSONValue {
        .object([
            ("jsonrpc", .string("2.0")), ("id", id), ("error", .object([("code", .int(code)), ("message", .string(message))])),
        ])
    }
}
