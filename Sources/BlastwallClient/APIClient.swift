import AsyncHTTPClient
import BlastwallCore
import Foundation
import NIOCore
import NIOHTTP1

/// A client of the control plane's JSON API, for the CLI commands.
public struct APIClient: Sendable {
    public let server: String
    let token: String?

    public init(server: String, token: String?) {
        self.server = server.hasSuffix("/") ? String(server.dropLast()) : server
        self.token = token
    }

    /// A failed request: the server's problem document, or why the server could not be reached.
    public enum Failure: Error, Sendable, CustomStringConvertible {
        case problem(status: Int, detail: String, field: String?)
        case unreachable(String)
        case unexpected(String)

        public var description: String {
            switch self {
            case .problem(let status, let detail, let field):
                return "server answered \(status): \(detail)" + (field.map { " (field '\($0)')" } ?? "")
            case .unreachable(let message): return message
            case .unexpected(let message): return message
            }
        }

        public var status: Int? {
            if case .problem(let status, _, _) = self { return status }
            return nil
        }
    }

    /// One HTTP client for the process. It fails at once when the server cannot be reached, instead of retrying
    /// the connection until the request's deadline: a CLI should say "cannot reach" now, not in a minute.
    static let http: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .seconds(5)
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    public func get(_ path: String) async throws(Failure) -> JSONValue { try await send(.GET, path, body: nil) }
    public func post(_ path: String, _ body: JSONValue) async throws(Failure) -> JSONValue { try await send(.POST, path, body: body) }
    public func put(_ path: String, _ body: JSONValue) async throws(Failure) -> JSONValue { try await send(.PUT, path, body: body) }
    public func delete(_ path: String) async throws(Failure) -> JSONValue { try await send(.DELETE, path, body: nil) }

    func send(_ method: HTTPMethod, _ path: String, body: JSONValue?) async throws(Failure) -> JSONValue {
        var request = HTTPClientRequest(url: server + path)
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body.serialized(pretty: false)))
        }
        let status: Int
        let text: String
        do {
            let response = try await Self.http.execute(request, timeout: .seconds(60))
            status = Int(response.status.code)
            text = String(buffer: try await response.body.collect(upTo: 64 << 20))
        } catch {
            throw .unreachable("cannot reach the control plane at \(server): \(error); check --server or BLASTWALL_SERVER")
        }
        let json = (try? JSONParser.parse(text.isEmpty ? "null" : text)) ?? .string(text)
        guard (200..<300).contains(status) else {
            throw .problem(status: status, detail: json["detail"]?.stringValue ?? text, field: json["field"]?.stringValue)
        }
        return json
    }

    /// Percent-encodes one path segment or query value.
    public static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? text
    }
}
