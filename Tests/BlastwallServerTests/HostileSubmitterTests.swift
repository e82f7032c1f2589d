import BlastwallTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The attacks of a hostile submitter on the control plane, each answered with the right 4xx while the
/// server keeps answering and stores nothing half.
@Suite struct HostileSubmitterTests {
    @Test(arguments: TestDatabases.kinds) func crashingAndStallingInputIsRefused(database: TestDatabases.Kind) async throws {
        let fixture = try await ServerFixture.make(database: database)
        let admin = fixture.tokens["admin"]
        try await fixture.testAndCleanUp { client in
            func freeze(_ when: String) -> String {
                let quoted = String(
                    decoding: try! JSONSerialization.data(withJSONObject: [when], options: .fragmentsAllowed), as: UTF8.self)
                return #"{"name": "f", "until": "2099-01-01T00:00:00Z", "reason": "x", "when": \#(quoted.dropFirst().dropLast())}"#
            }
            let cases: [(HTTPRequest.Method, String, String, HTTPResponse.Status, String?, String)] = [
                (
                    .post, "/api/v1/freezes", freeze(String(repeating: "!", count: 10_000) + "true"), .unprocessableContent, "when",
                    "nests more than"
                ),
                (
                    .post, "/api/v1/freezes", freeze("change.services" + String(repeating: "[0]", count: 10_000) + " == 'x'"),
                    .unprocessableContent, "when", "nests more than"
                ),
                (
                    .post, "/api/v1/freezes", freeze("'a'" + String(repeating: "+'a'", count: 10_000) + " == 'a'"), .unprocessableContent,
                    "when", "nests more than"
                ),
                (
                    .post, "/api/v1/freezes", freeze("change.files.all(f, change.files.exists(g, g.path == f.path))"),
                    .unprocessableContent,
                    "when", "more than the limit"
                ),
                (
                    .post, "/api/v1/freezes", freeze("change.files.exists(f, f.path.matches('(?=x)'))"), .unprocessableContent, "when",
                    "lookahead"
                ),
                (.post, "/api/v1/freezes", freeze("duration(change.files[0].path) > duration('1s')"), .created, nil, ""),
                (
                    .post, "/api/v1/identities", #"{"name": "dup", "kind": "human", "role": "viewer", "role": "admin"}"#, .badRequest, nil,
                    "duplicate key 'role'"
                ),
                (.post, "/api/v1/switches", #"{"name": "n", "extra": 1e400}"#, .badRequest, "extra", "beyond the range of a double"),
                (.post, "/api/v1/switches", #"{"name": 123456789012345678901234567890}"#, .badRequest, "name", "does not fit in 64 bits"),
                (
                    .post, "/api/v1/drills",
                    RolloutBodies.flags(
                        service: "svc-d", change: nil, steps: #"[{"weight": 10, "duration": "1000000000000000000000000000000s"}]"#),
                    .unprocessableContent, nil, "must be a duration"
                ),
                (
                    .post, "/api/v1/drills",
                    RolloutBodies.flags(service: "svc-e", change: nil, steps: #"[{"weight": 10, "duration": 1e300}]"#),
                    .unprocessableContent, nil, "at most 8784h"
                ),
            ]
            for (method, path, body, status, field, words) in cases {
                let response = try await client.send(method, path, token: admin, json: body)
                #expect(response.status == status, "\(path) \(body.prefix(80)): \(response.status) \(response.text.prefix(300))")
                if let field { #expect(response.json?["field"] as? String == field, "\(response.text.prefix(300))") }
                #expect(words.isEmpty || response.text.contains(words), "\(path): \(response.text.prefix(300))")
                #expect(try await client.send(.get, "/healthz", token: nil).status == .ok)
            }
            // The one freeze accepted (a duration read from a submitted file name) fails closed at a submit,
            // instead of crashing the server on every later one.
            let submitted = try await client.send(
                .post, "/api/v1/changes", token: admin,
                json: Reports.submission(branch: "hostile", head: "h1", files: ["1000000000000000000000000000000s"]))
            #expect(submitted.status == .created || submitted.status == .ok, "\(submitted.text.prefix(300))")
            #expect(try await client.send(.get, "/healthz", token: nil).status == .ok)
        }
    }
}

extension HostileSubmitterTests {
    /// Whoever the submitted commits name, the identity that submitted a change never approves it.
    @Test(arguments: TestDatabases.kinds) func theSubmitterIsNeverACountedApprover(database: TestDatabases.Kind) async throws {
        let fixture = try await ServerFixture.make(database: database)
        let approver = fixture.tokens["approver"]
        try await fixture.testAndCleanUp { client in
            let submitted = try await client.send(
                .post, "/api/v1/changes", token: approver, json: Reports.submission(branch: "self", head: "h1"))
            let id = try #require(
                submitted.json?["id"] as? Int ?? (submitted.json?["change"] as? [String: Any])?["id"] as? Int, "\(submitted.text)")
            let review = try await client.send(.post, "/api/v1/changes/\(id)/reviews", token: approver, json: #"{"verdict": "approve"}"#)
            #expect(review.status == .forbidden && review.text.contains("submitted this change"), "\(review.text)")
            let gate = try await client.send(.get, "/api/v1/changes/\(id)/gate", token: approver)
            #expect(!gate.text.contains(#""satisfied""#), "\(gate.text)")
        }
    }
}
