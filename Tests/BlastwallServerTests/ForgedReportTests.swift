import BlastwallAnalysis
import BlastwallAudit
import BlastwallControlPlane
import BlastwallCore
import BlastwallTestSupport
import Foundation
import Testing

/// A submitter cannot forge the gate: the server analyses the range from its mirror, or takes only a report
/// signed by a registered ci key. Each attempt runs with an `ai` token and a `ci` token.
@Suite struct ForgedReportTests {
    static let policy = Reports.configurationYAML + "\npolicy_owners: [\"@acme/platform\"]\n"

    struct Setup {
        var fixture: ServerFixture
        var source: SourceRepository
        var base: String
        var head: String
        /// Tokens of an AI agent (kind ai, role agent), the fixture's ci bot, and Sam who wrote the change.
        var agent: String
        var ci: String
        var sam: String
        var platform: String
    }

    static func setUp(_ database: TestDatabases.Kind) async throws -> Setup {
        let source = try await SourceRepository()
        let base = try await source.commit(
            ["blastwall.yml": policy, "payments/api.swift": "a\n", "ledger/book.swift": "b\n"], on: "main", message: "Initial")
        let head = try await source.commit(["payments/api.swift": "a2\n"], on: "feature", author: ("Sam", "sam@acme.example"))
        let mirrors = RepositoryMirrors(sources: ["acme/monorepo": source.url], directory: source.mirrors, logger: TestDatabases.logger)
        let fixture = try await ServerFixture.make(database: database, configuration: Reports.configuration, mirrors: mirrors)
        let root = try fixture.controlPlane.authenticate(token: fixture.tokens["admin"]!)
        func create(_ principal: Principal) async throws -> String {
            try await fixture.controlPlane.createIdentity(principal, by: root).token
        }
        return Setup(
            fixture: fixture, source: source, base: base, head: head,
            agent: try await create(Principal(name: "coding-agent", kind: .ai, role: .agent)), ci: fixture.tokens["ci"]!,
            sam: try await create(
                Principal(name: "sam", kind: .human, role: .approver, groups: ["@acme/payments"], emails: ["sam@acme.example"])),
            platform: try await create(Principal(name: "pat", kind: .human, role: .approver, groups: ["@acme/platform", "@lee"])))
    }

    static func body(_ setup: Setup, branch: String = "feature", head: String? = nil, base: String? = nil, report: String? = nil) -> String
    {
        var text =
            #"{"repository": "acme/monorepo", "branch": "\#(branch)", "head": "\#(head ?? setup.head)", "base": "\#(base ?? setup.base)""#
        if let report { text += #", "report": \#(report)"# }
        return text + "}"
    }

    static let forged = #"{"schema_version": 1, "decision": "allow", "requirements": {}}"#

    @Test(arguments: TestDatabases.kinds) func aForgedReportIsRefusedAndAuditedAndTheGateStaysPending(database: TestDatabases.Kind)
        async throws
    {
        let setup = try await Self.setUp(database)
        try await setup.fixture.testAndCleanUp { client in
            // The attack of the issue: a report that says "allow" with no requirements.
            for token in [setup.agent, setup.ci] {
                let response = try await client.send(.post, "/api/v1/changes", token: token, json: Self.body(setup, report: Self.forged))
                #expect(response.status == .unprocessableContent, "\(response.text)")
                #expect(response.json?["field"] as? String == "report")
                #expect(
                    response.text.contains("decision: the report says \\\"allow\\\", the server's analysis \\\"review\\\""),
                    "\(response.text)")
            }
            let none = try await client.send(.get, "/api/v1/changes", token: setup.ci)
            #expect((none.json?["items"] as? [Any])?.isEmpty == true, "a refused submission stores no change")

            // Without a report the server's own analysis stands: pending on the owners, a senior and two people.
            let submitted = try await client.send(.post, "/api/v1/changes", token: setup.agent, json: Self.body(setup))
            #expect(submitted.status == .created, "\(submitted.text)")
            let id = try #require(submitted.json?["id"] as? Int)
            #expect(submitted.json?["analysed_by"] as? String == "server")
            #expect(submitted.json?["services"] as? [String] == ["payments"])
            let gate = try #require(submitted.json?["gate"] as? [String: Any])
            #expect(gate["state"] as? String == "pending")
            #expect(gate["missing"] as? [String] == ["1 owner of `payments`", "1 of group `senior`", "2 more approvals (0 of 2)"])

            // Re-submitting the pending head with a forged report, or one that drops the services, changes nothing.
            let real = try await client.send(.get, "/api/v1/changes/\(id)", token: setup.ci)
            #expect(real.json?["head"] as? String == setup.head)
            let stored = try await setup.fixture.controlPlane.change(
                id: Int64(id), by: try setup.fixture.controlPlane.authenticate(token: setup.ci))
            guard case .object(let members) = stored.change.report else { throw CancellationError() }
            // The true report, less its services: a freeze on payments would not see the change.
            let withoutServices = JSONValue.object(members.map { $0.0 == "services" ? ("services", .array([])) : $0 }).serialized(
                pretty: false)
            for (token, report) in [(setup.agent, Self.forged), (setup.ci, Self.forged), (setup.ci, withoutServices)] {
                let again = try await client.send(.post, "/api/v1/changes", token: token, json: Self.body(setup, report: report))
                #expect(again.status == .unprocessableContent || again.status == .badRequest, "\(again.text)")
            }
            let after = try await client.send(.get, "/api/v1/changes/\(id)/gate", token: setup.ci)
            #expect(after.json?["state"] as? String == "pending")

            // The author read from the commits cannot approve, whatever a report said.
            let sam = try await client.send(.post, "/api/v1/changes/\(id)/reviews", token: setup.sam, json: #"{"verdict": "approve"}"#)
            #expect(sam.status == .forbidden && sam.text.contains("authored or committed"), "\(sam.text)")

            let audit = try await client.send(.get, "/api/v1/audit/search?action=change.refused", token: setup.ci)
            let refused = try #require(audit.json?["items"] as? [[String: Any]])
            #expect(refused.count == 5, "every refused submission is audited: \(audit.text.prefix(500))")
            #expect(refused.allSatisfy { ($0["payload"] as? [String: Any])?["reason"] as? String == "report mismatch" })
            #expect(
                refused.last.map { "\($0["payload"] ?? "")".contains("services: the report says []") } == true, "\(refused.last ?? [:])")
            #expect(try await client.send(.get, "/healthz", token: nil).status == .ok)
        }
    }

    @Test(arguments: TestDatabases.kinds) func theRangeIsTheServersToRead(database: TestDatabases.Kind) async throws {
        let setup = try await Self.setUp(database)
        let first = try await setup.source.commit(["ledger/book.swift": "b2\n"], on: "sneaky")
        let second = try await setup.source.commit(["payments/api.swift": "a3\n"], on: "sneaky")
        try await setup.fixture.testAndCleanUp { client in
            let cases: [(String, String, String, String)] = [
                (second, first, "base", "is not on the default branch"),
                (String(repeating: "e", count: 40), setup.base, "head", "is not in"),
                ("HEAD", setup.base, "head", "must be a full commit id"),
                (second, "--output=/tmp/x", "base", "must be a full commit id"),
            ]
            for (head, base, field, words) in cases {
                let response = try await client.send(
                    .post, "/api/v1/changes", token: setup.ci, json: Self.body(setup, branch: "sneaky", head: head, base: base))
                #expect(response.status == .unprocessableContent, "\(head) \(base): \(response.text)")
                #expect(response.json?["field"] as? String == field)
                #expect(response.text.contains(words), "\(response.text)")
            }
            // The whole branch, from where it leaves main, is what the gate judges.
            let whole = try await client.send(
                .post, "/api/v1/changes", token: setup.ci, json: Self.body(setup, branch: "sneaky", head: second))
            #expect(whole.json?["services"] as? [String] == ["payments", "ledger"], "\(whole.text)")
        }
    }

    @Test(arguments: TestDatabases.kinds) func aChangeIsJudgedByThePolicyAtItsBase(database: TestDatabases.Kind) async throws {
        let setup = try await Self.setUp(database)
        // The change relaxes the policy it would be judged by, and touches payments.
        let relaxed = "services:\n  payments: { paths: [\"/payments/\"], tier: 3 }\n"
        let head = try await setup.source.commit(["blastwall.yml": relaxed, "payments/api.swift": "a9\n"], on: "relax")
        try await setup.fixture.testAndCleanUp { client in
            let submitted = try await client.send(
                .post, "/api/v1/changes", token: setup.ci, json: Self.body(setup, branch: "relax", head: head))
            #expect(submitted.status == .created, "\(submitted.text)")
            let id = try #require(submitted.json?["id"] as? Int)
            let gate = try #require(submitted.json?["gate"] as? [String: Any])
            #expect(
                gate["missing"] as? [String] == [
                    "1 owner of `blastwall-policy`", "1 owner of `payments`", "1 of group `senior`", "2 more approvals (0 of 2)",
                ], "\(gate)")
            let stored = try await setup.fixture.controlPlane.change(
                id: Int64(id), by: try setup.fixture.controlPlane.authenticate(token: setup.ci))
            #expect(stored.change.report["classes"]?.arrayValue?.contains(.string("policy")) == true)
            #expect(stored.change.report["requirements"]?["owners"]?["blastwall-policy"] == .array([.string("@acme/platform")]))
        }
    }

    @Test(arguments: TestDatabases.kinds) func withoutAMirrorOnlyACIKeysSignatureCounts(database: TestDatabases.Kind) async throws {
        let fixture = try await ServerFixture.make(database: database, configuration: Reports.configuration)
        let root = try fixture.controlPlane.authenticate(token: fixture.tokens["admin"]!)
        let agent = try await fixture.controlPlane.createIdentity(Principal(name: "coding-agent", kind: .ai, role: .agent), by: root).token
        try await fixture.testAndCleanUp { client in
            let signed = Reports.submissionValue(branch: "x", head: "h1")
            var unsigned = signed
            unsigned.attestation = nil
            let strangerSigned = Reports.submissionValue(branch: "x", head: "h1", key: SigningKey())
            var otherHead = signed
            otherHead.head = Reports.sha("h2")
            let cases: [(String?, ControlPlane.Submission, Int, String)] = [
                (fixture.tokens["ci"], unsigned, 422, "keeps no mirror of repository 'acme/monorepo'"),
                (agent, unsigned, 422, "keeps no mirror"),
                (agent, signed, 403, "cannot submit client-attested reports"),
                (fixture.tokens["ci"], strangerSigned, 422, "not signed by the key of any active ci identity"),
                (fixture.tokens["ci"], otherHead, 422, "it attests another commit"),
            ]
            for (token, submission, status, words) in cases {
                let response = try await client.send(.post, "/api/v1/changes", token: token, json: Reports.json(submission))
                #expect(response.status.code == status, "\(words): \(response.text)")
                #expect(response.text.contains(words), "\(response.text)")
            }
            let accepted = try await client.send(.post, "/api/v1/changes", token: fixture.tokens["ci"], json: Reports.json(signed))
            #expect(accepted.status == .created, "\(accepted.text)")
            #expect(accepted.json?["analysed_by"] as? String == "client-attested")
            #expect(accepted.json?["attested_by"] as? String == "user-ci")
            let audit = try await client.send(.get, "/api/v1/audit/search?action=change.refused", token: fixture.tokens["viewer"])
            #expect((audit.json?["items"] as? [Any])?.count == cases.count)

            // Keys: only a ci identity's, only the public half.
            let key = SigningKey()
            func identity(_ role: String, _ pem: String) -> String {
                let quoted = String(decoding: try! JSONSerialization.data(withJSONObject: [pem]), as: UTF8.self).dropFirst().dropLast()
                return #"{"name": "k-\#(role)-\#(pem.count)", "kind": "bot", "role": "\#(role)", "attestation_key": \#(quoted)}"#
            }
            let notCI = try await client.send(
                .post, "/api/v1/identities", token: fixture.tokens["admin"], json: identity("engineer", key.publicKeyPEM))
            #expect(notCI.status == .unprocessableContent && notCI.text.contains("only identities with role ci"), "\(notCI.text)")
            let privateKey = try await client.send(
                .post, "/api/v1/identities", token: fixture.tokens["admin"], json: identity("ci", key.pem))
            #expect(privateKey.status == .unprocessableContent && privateKey.text.contains("is a private key"), "\(privateKey.text)")
            let registered = try await client.send(
                .post, "/api/v1/identities", token: fixture.tokens["admin"], json: identity("ci", key.publicKeyPEM))
            #expect(registered.status == .created, "\(registered.text)")
            let newSigner = Reports.submissionValue(branch: "y", head: "h3", key: key)
            let byNewKey = try await client.send(.post, "/api/v1/changes", token: fixture.tokens["ci"], json: Reports.json(newSigner))
            #expect(byNewKey.json?["attested_by"] as? String == "k-ci-\(key.publicKeyPEM.count)", "\(byNewKey.text)")
        }
    }
}
