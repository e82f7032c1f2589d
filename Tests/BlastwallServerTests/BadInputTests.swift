import BlastwallTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Malformed JSON, wrong types, unknown fields, oversized bodies, bad tokens and unknown ids each get
/// the right 4xx with a problem document naming the field, never a 500.
@Suite struct BadInputTests {
    @Test(arguments: TestDatabases.kinds) func badRequestsGetProblemDocuments(database: TestDatabases.Kind) async throws {
        let fixture = try await ServerFixture.make(database: database, options: .init(bodyLimit: 1024))
        let admin = fixture.tokens["admin"]
        try await fixture.testAndCleanUp { client in
            let cases: [(HTTPRequest.Method, String, String?, HTTPResponse.Status, String?)] = [
                (.post, "/api/v1/identities", "{not json", .badRequest, nil),
                (.post, "/api/v1/identities", "[1, 2]", .badRequest, nil),
                (.post, "/api/v1/identities", #"{"name": 42, "kind": "human", "role": "viewer"}"#, .badRequest, "name"),
                (.post, "/api/v1/identities", #"{"name": "x", "kind": "robot", "role": "viewer"}"#, .badRequest, "kind"),
                (.post, "/api/v1/identities", #"{"name": "x", "kind": "human", "role": "viewer", "colour": "red"}"#, .badRequest, "colour"),
                (.post, "/api/v1/identities", #"{"name": "bad name!", "kind": "human", "role": "viewer"}"#, .unprocessableContent, "name"),
                (.post, "/api/v1/identities", #"{"kind": "human", "role": "viewer"}"#, .badRequest, "name"),
                (.post, "/api/v1/switches", "{\"name\": \"" + String(repeating: "x", count: 2000) + "\"}", .contentTooLarge, nil),
                (.put, "/api/v1/switches/nope", #"{"enabled": true, "reason": "x"}"#, .notFound, nil),
                (.put, "/api/v1/switches/nope", #"{"enabled": "yes", "reason": "x"}"#, .badRequest, "enabled"),
                (.delete, "/api/v1/identities/nobody", nil, .notFound, nil),
                (.get, "/api/v1/identities?limit=0", nil, .badRequest, "limit"),
                (.get, "/api/v1/identities?after=-1", nil, .badRequest, "after"),
                (.get, "/api/v1/switches/unknown-switch", nil, .notFound, nil),
                (.get, "/api/v1/no-such-route", nil, .notFound, nil),
                (
                    .post, "/api/v1/freezes", #"{"name": "f", "until": "2000-01-01T00:00:00Z", "reason": "x"}"#, .unprocessableContent,
                    "until"
                ),
                (
                    .post, "/api/v1/freezes",
                    #"{"name": "f", "until": "2099-01-01T00:00:00Z", "reason": "x", "override": {"approvals": 1e9}}"#, .badRequest,
                    "override.approvals"
                ),
                (
                    .post, "/api/v1/freezes",
                    #"{"name": "f", "until": "2099-01-01T00:00:00Z", "reason": "x", "override": {"approvals": "two"}}"#, .badRequest,
                    "override.approvals"
                ),
                (.delete, "/api/v1/switches", nil, .methodNotAllowed, nil),
                (HTTPRequest.Method("QUERY")!, "/api/v1/changes", nil, .methodNotAllowed, nil),
            ]
            for (method, path, body, status, field) in cases {
                let response = try await client.send(method, path, token: admin, json: body)
                #expect(response.status == status, "\(method) \(path) \(body?.prefix(60) ?? ""): \(response.status) \(response.text)")
                #expect(response.headers[.contentType] == "application/problem+json", "\(method) \(path)")
                if let field { #expect(response.json?["field"] as? String == field, "\(method) \(path): \(response.text)") }
                #expect(response.json?["status"] as? Int == Int(status.code))
            }
            let duplicate = #"{"name": "dup", "kind": "human", "role": "viewer"}"#
            #expect(try await client.send(.post, "/api/v1/identities", token: admin, json: duplicate).status == .created)
            #expect(try await client.send(.post, "/api/v1/identities", token: admin, json: duplicate).status == .conflict)
        }
    }
}
