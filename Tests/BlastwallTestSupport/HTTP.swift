import AsyncHTTPClient
import Foundation
import NIOCore

/// Plain HTTP for tests, on AsyncHTTPClient: Foundation's URLSession on Linux crashes under concurrent use
/// ("Trying to access a behaviour for a task that is not in the registry").
public enum HTTP {
    public struct Reply: Sendable {
        public var status: Int
        public var body: String
    }

    public static func send(
        _ method: String, _ url: String, body: String? = nil, headers: [String: String] = [:], timeoutSeconds: Int64 = 10
    ) async throws -> Reply {
        var request = HTTPClientRequest(url: url)
        request.method = .init(rawValue: method)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.headers.add(name: "Connection", value: "close")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(timeoutSeconds))
        let bytes = try await response.body.collect(upTo: 16 << 20)
        return Reply(status: Int(response.status.code), body: String(buffer: bytes))
    }

    public static func get(_ url: String, token: String? = nil) async throws -> Reply {
        try await send("GET", url, headers: token.map { ["Authorization": "Bearer \($0)"] } ?? [:])
    }
}
