import BlastwallAudit
import BlastwallControlPlane
import BlastwallCore
import BlastwallServer
import BlastwallTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The two-person rule through the API: owners of every service, groups, no self-approval, humans only,
/// approvals bound to heads, rejections, denials and freeze overrides.
@Suite struct ApprovalFlowTests {
    struct People {
        var dana: String
        var lee: String
        var sam: String
        var agent: String
    }

    func people(_ fixture: ServerFixture) async throws -> People {
        let root = try fixture.controlPlane.authenticate(token: fixture.tokens["admin"]!)
        func make(_ name: String, _ kind: IdentityKind, _ groups: [String], _ emails: [String] = []) async throws -> String {
            try await fixture.controlPlane.createIdentity(
                Principal(name: name, kind: kind, role: .approver, groups: groups, emails: emails), by: root
            ).token
        }
        return People(
            dana: try await make("dana", .human, ["@acme/payments"]), lee: try await make("lee", .human, ["@acme/ledger"]),
            sam: try await make("sam", .human, ["@acme/payments", "@acme/ledger"], ["sam@acme.example"]),
            agent: try await make("claude", .ai, ["@acme/payments", "@acme/ledger"]))
    }

    @Test(arguments: TestDatabases.kinds) func ownersOfEveryServiceASeniorAndTwoPeopleAreNeeded(database: TestDatabases.Kind) async throws {
        let fixture = try await ServerFixture.make(database: database, configuration: Reports.configuration)
        let people = try await people(fixture)
        try await fixture.testAndCleanUp { client in
            let submitted = try await client.send(
                .post, "/api/v1/changes", token: fixture.tokens["ci"], json: Reports.submission(branch: "feature", head: "h1"))
            #expect(submitted.status == .created, "\(submitted.text)")
            let id = try #require(submitted.json?["id"] as? Int)
            let gate = try await client.send(.get, "/api/v1/changes/\(id)/gate", token: fixture.tokens["ci"])
            #expect(gate.json?["state"] as? String == "pending")
            #expect(
                gate.json?["missing"] as? [String] == [
                    "1 owner of `ledger`", "1 owner of `payments`", "1 of group `senior`", "2 more approvals (0 of 2)",
                ])

            let ai = try await client.send(.post, "/api/v1/changes/\(id)/reviews", token: people.agent, json: #"{"verdict": "approve"}"#)
            #expect(ai.status == .forbidden && ai.text.contains("never count as approvers"))
            let author = try await client.send(.post, "/api/v1/changes/\(id)/reviews", token: people.sam, json: #"{"verdict": "approve"}"#)
            #expect(author.status == .forbidden && author.text.contains("no self-approval"))

            #expect(
                try await client.send(.post, "/api/v1/changes/\(id)/reviews", token: people.dana, json: #"{"verdict": "approve"}"#).status
                    == .created)
            let half = try await client.send(.get, "/api/v1/changes/\(id)/gate", token: fixture.tokens["ci"])
            #expect(half.json?["missing"] as? [String] == ["1 owner of `ledger`", "1 of group `senior`", "1 more approval (1 of 2)"])
            let done = try await client.send(
                .post, "/api/v1/changes/\(id)/reviews", token: people.lee, json: #"{"verdict": "approve", "comment": "ok"}"#)
            #expect((done.json?["gate"] as? [String: Any])?["state"] as? String == "satisfied", "\(done.text)")
        }
    }

    @Test(arguments: TestDatabases.kinds) func aNewHeadDismissesOnlyApprovalsOfChangedServices(database: TestDatabases.Kind) async throws {
        let fixture = try await ServerFixture.make(database: database, configuration: Reports.configuration)
        let people = try await people(fixture)
        try await fixture.testAndCleanUp { client in
            let first = try await client.send(
                .post, "/api/v1/changes", token: fixture.tokens["ci"], json: Reports.submission(branch: "feature", head: "h1"))
            let id = try #require(first.json?["id"] as? Int)
            _ = try await client.send(.post, "/api/v1/changes/\(id)/reviews", token: people.dana, json: #"{"verdict": "approve"}"#)
            _ = try await client.send(.post, "/api/v1/changes/\(id)/reviews", token: people.lee, json: #"{"verdict": "approve"}"#)

            let second = try await client.send(
                .post, "/api/v1/changes", token: fixture.tokens["ci"],
                json: Reports.submission(branch: "feature", head: "h2", changedSince: ("h1", ["ledger/book.swift"])))
            #expect(second.json?["id"] as? Int == id, "the same branch updates the same change")
            #expect((second.json?["dismissed"] as? [[String: Any]])?.map { $0["reviewer"] as? String } == ["lee"])
            #expect((second.json?["reviews"] as? [[String: Any]])?.map { $0["reviewer"] as? String } == ["dana"])
            #expect((second.json?["gate"] as? [String: Any])?["state"] as? String == "pending")

            let third = try await client.send(
                .post, "/api/v1/changes", token: fixture.tokens["ci"],
                json: Reports.submission(branch: "feature", head: "h3", changedSince: ("h2", ["README.md"])))
            #expect((third.json?["dismissed"] as? [[String: Any]])?.count == 1, "an unowned file dismisses every approval")

            let audit = try await client.send(.get, "/api/v1/audit/search?action=approval.dismissed", token: fixture.tokens["viewer"])
            #expect((audit.json?["items"] as? [[String: Any]])?.count == 2)
            // The dashboard says what made each approval stale.
            let browser = DashboardRouteTests.Browser(client)
            _ = try await browser.signIn(fixture.tokens["viewer"]!)
            let page = try await browser.request(.get, "/ui/changes/\(id)")
            #expect(page.text.contains("changed since: ledger/book.swift") && page.text.contains("changed since: README.md"))
        }
    }

    @Test(arguments: TestDatabases.kinds) func rejectionsDenialsAndFreezeOverrides(database: TestDatabases.Kind) async throws {
        let fixture = try await ServerFixture.make(database: database, configuration: Reports.configuration)
        let people = try await people(fixture)
        try await fixture.testAndCleanUp { client in
            let change = try await client.send(
                .post, "/api/v1/changes", token: fixture.tokens["ci"], json: Reports.submission(branch: "a", head: "h1"))
            let id = try #require(change.json?["id"] as? Int)
            let noReason = try await client.send(
                .post, "/api/v1/changes/\(id)/reviews", token: people.dana, json: #"{"verdict": "reject"}"#)
            #expect(noReason.status == .unprocessableContent && noReason.json?["field"] as? String == "comment")
            let rejected = try await client.send(
                .post, "/api/v1/changes/\(id)/reviews", token: people.dana, json: #"{"verdict": "reject", "comment": "no"}"#)
            #expect((rejected.json?["gate"] as? [String: Any])?["state"] as? String == "rejected")

            let secret = try await client.send(
                .post, "/api/v1/changes", token: fixture.tokens["ci"],
                json: Reports.submission(branch: "b", head: "h1", files: ["payments/.env"]))
            let secretID = try #require(secret.json?["id"] as? Int)
            _ = try await client.send(.post, "/api/v1/changes/\(secretID)/reviews", token: people.dana, json: #"{"verdict": "approve"}"#)
            let denied = try await client.send(
                .post, "/api/v1/changes/\(secretID)/reviews", token: people.lee, json: #"{"verdict": "approve"}"#)
            #expect((denied.json?["gate"] as? [String: Any])?["state"] as? String == "denied", "rule denials cannot be approved away")

            let frozen = Reports.submissionValue(branch: "c", head: "h1", files: ["payments/api.swift"], now: "2026-12-24T12:00:00Z")
            let root = try fixture.controlPlane.authenticate(token: fixture.tokens["admin"]!)
            let frozenID = try await fixture.controlPlane.submit(frozen, by: root).change.id
            _ = try await client.send(.post, "/api/v1/changes/\(frozenID)/reviews", token: people.dana, json: #"{"verdict": "approve"}"#)
            let stillFrozen = try await client.send(
                .post, "/api/v1/changes/\(frozenID)/reviews", token: people.lee, json: #"{"verdict": "approve"}"#)
            #expect(
                (stillFrozen.json?["gate"] as? [String: Any])?["state"] as? String == "denied", "ordinary approvals do not lift a freeze")
            let override = try await client.send(
                .post, "/api/v1/changes/\(frozenID)/reviews", token: people.lee,
                json: #"{"verdict": "approve", "override": true, "comment": "hotfix"}"#)
            let overrideGate = override.json?["gate"] as? [String: Any]
            #expect(overrideGate?["state"] as? String == "satisfied", "\(override.text)")
            let audit = try await client.send(.get, "/api/v1/audit/search?action=override.approved", token: fixture.tokens["viewer"])
            #expect((audit.json?["items"] as? [[String: Any]])?.count == 1)
        }
    }
}

extension ApprovalFlowTests {
    @Test(arguments: TestDatabases.kinds) func runtimeFreezesDenyMatchingChangesUntilOverriddenLiftedOrOver(database: TestDatabases.Kind)
        async throws
    {
        let fixture = try await ServerFixture.make(database: database, configuration: Reports.configuration)
        let people = try await people(fixture)
        let approver = fixture.tokens["approver"]
        try await fixture.testAndCleanUp { client in
            let noEnd = try await client.send(.post, "/api/v1/freezes", token: approver, json: #"{"name": "forever", "reason": "x"}"#)
            #expect(noEnd.status == .badRequest && noEnd.json?["field"] as? String == "until")
            let badCondition = try await client.send(
                .post, "/api/v1/freezes", token: approver,
                json: #"{"name": "f", "until": "2099-01-01T00:00:00Z", "reason": "x", "when": "blast.max_teir == 1"}"#)
            #expect(badCondition.status == .unprocessableContent && badCondition.text.contains("did you mean 'max_tier'"))
            let past = try await client.send(
                .post, "/api/v1/freezes", token: approver, json: #"{"name": "f", "until": "2020-11-30T00:00:00Z", "reason": "x"}"#)
            #expect(
                past.status == .unprocessableContent && past.text.contains("2020-11-30T00:00:00Z is in the past (it is now "),
                "\(past.text)")
            let dateOnly = try await client.send(
                .post, "/api/v1/freezes", token: approver, json: #"{"name": "f", "until": "2099-11-30", "reason": "x"}"#)
            #expect(dateOnly.text.contains("'2099-11-30' is a date without a time: write 2099-11-30T00:00:00Z"), "\(dateOnly.text)")

            let change = try await client.send(
                .post, "/api/v1/changes", token: fixture.tokens["ci"], json: Reports.submission(branch: "f", head: "h1"))
            let id = try #require(change.json?["id"] as? Int)
            _ = try await client.send(.post, "/api/v1/changes/\(id)/reviews", token: people.dana, json: #"{"verdict": "approve"}"#)
            _ = try await client.send(.post, "/api/v1/changes/\(id)/reviews", token: people.lee, json: #"{"verdict": "approve"}"#)
            #expect(try await client.send(.get, "/api/v1/changes/\(id)/gate", token: approver).json?["state"] as? String == "satisfied")

            let otherService = try await client.send(
                .post, "/api/v1/freezes", token: approver,
                json: #"{"name": "web-only", "until": "2099-01-01T00:00:00Z", "reason": "x", "services": ["web"]}"#)
            #expect(otherService.status == .created)
            #expect(try await client.send(.get, "/api/v1/changes/\(id)/gate", token: approver).json?["state"] as? String == "satisfied")

            let tier1 = try await client.send(
                .post, "/api/v1/freezes", token: approver,
                json:
                    #"{"name": "incident", "until": "2099-01-01T00:00:00Z", "reason": "incident 9", "when": "blast.max_tier == 1", "override": {"approvals": 1, "groups": {"senior": 1}}}"#
            )
            let freezeID = try #require(tier1.json?["id"] as? Int)
            let frozen = try await client.send(.get, "/api/v1/changes/\(id)/gate", token: approver)
            #expect(frozen.json?["state"] as? String == "denied", "\(frozen.text)")

            #expect(try await client.send(.delete, "/api/v1/freezes/\(freezeID)", token: approver).status == .ok)
            #expect(try await client.send(.get, "/api/v1/changes/\(id)/gate", token: approver).json?["state"] as? String == "satisfied")
            let list = try await client.send(.get, "/api/v1/freezes", token: approver)
            #expect((list.json?["items"] as? [[String: Any]])?.map { $0["name"] as? String } == ["web-only"])
        }
    }
}

extension ApprovalFlowTests {
    @Test(arguments: TestDatabases.kinds) func theServerSignsAttestationsOfChanges(database: TestDatabases.Kind) async throws {
        let key = SigningKey()
        let fixture = try await ServerFixture.make(
            database: database, options: ServerOptions(attestationKey: key), configuration: Reports.configuration)
        try await fixture.testAndCleanUp { client in
            let change = try await client.send(
                .post, "/api/v1/changes", token: fixture.tokens["ci"], json: Reports.submission(branch: "x", head: "abc123"))
            let id = try #require(change.json?["id"] as? Int)
            let signed = try await client.send(.post, "/api/v1/changes/\(id)/attestation", token: fixture.tokens["ci"])
            #expect(signed.status == .created)
            let envelope = try JSONParser.parse(signed.text)
            let verified = try Attestation.verify(envelope: envelope, key: VerificationKey(key.privateKey.publicKey)).get()
            #expect(verified.commit == Reports.sha("abc123"))
            #expect(verified.statement["predicate"]?["gate"]?["state"]?.stringValue == "pending")
        }
    }
}
