import BlastwallTestSupport
import Foundation
import Testing

/// The JSON and SARIF outputs of a real check validate against their schemas.
@Suite struct OutputSchemaTests {
    func riskyRepository() async throws -> TemporaryRepository {
        let repo = try await TemporaryRepository()
        try repo.write([
            "blastwall.yml": """
            services:
              payments: { paths: ["/payments/"], owners: ["@org/payments"], tier: 1 }
              web: { paths: ["/web/"], tier: 3, depends_on: [payments] }
            rules:
              - name: owners
                when: size(change.services) > 0
                require: { approvals: 1, owners: all, canary: true, max_initial_weight: 10 }
              - name: broken
                when: "change.files.exists(f, f.path == 'payments/x.sql') && change.files[99].added > 0"
                warn: never
            freezes:
              - name: always
                from: 2020-01-01T00:00:00Z
                until: 2099-01-01T00:00:00Z
                reason: test
            """,
            "payments/api.swift": "let a = 1\n", "web/page.html": "x\n", "notes.txt": "n\n",
        ])
        try await repo.commit("Initial")
        try await repo.git.execute(["checkout", "--quiet", "-b", "change"])
        try repo.write([
            "payments/x.sql": "DROP TABLE users;\n", "payments/api.swift": "let a = 2\nlet key = \"AKIAABCDEFGHIJKLMNOP\"\n",
            "web/page.html": "y\n", "notes.txt": "m\n",
        ])
        try await repo.git.execute(["mv", "web/page.html", "web/moved page.html"])
        try await repo.commit("Risky\n\nCo-authored-by: Claude <noreply@anthropic.com>")
        return repo
    }

    @Test func jsonOutputValidatesAgainstTheDocumentedSchema() async throws {
        guard await SchemaValidator.jsonschema.check() else { return }
        let repo = try await riskyRepository()
        let result = try await repo.run(["check", "--format", "json", "--now", "2026-11-23T12:00:00Z"])
        #expect(result.status == 1, "the active freeze and the failing condition deny: \(result.stderr)")
        let schema = SchemaValidator.repositoryRoot.appendingPathComponent("docs/schema/check-output.v1.schema.json")
        let problems = try await SchemaValidator.problems(in: result.stdout, schema: schema)
        #expect(problems == nil, "\(problems ?? "")")
        // The schema has teeth: a document missing a required field is rejected.
        let broken = result.stdout.replacingOccurrences(of: "\"schema_version\": 1", with: "\"schema_version\": 2")
        await #expect(try SchemaValidator.problems(in: broken, schema: schema) != nil)
    }
}

extension OutputSchemaTests {
    @Test func sarifOutputValidatesAgainstTheSARIFSchema() async throws {
        guard await SchemaValidator.jsonschema.check() else { return }
        let repo = try await riskyRepository()
        let result = try await repo.run(["check", "--format", "sarif", "--now", "2026-11-23T12:00:00Z"])
        let schema = SchemaValidator.repositoryRoot.appendingPathComponent(
            "Tests/BlastwallIntegrationTests/Fixtures/sarif-2.1.0-excerpt.schema.json")
        let problems = try await SchemaValidator.problems(in: result.stdout, schema: schema)
        #expect(problems == nil, "\(problems ?? "")")
        let log = try json(result.stdout)
        let results = try #require((log["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]])
        #expect(results.contains { ($0["ruleId"] as? String) == "blastwall/class/schema-migration" })
        #expect(results.contains { ($0["ruleId"] as? String) == "blastwall/freeze/always" && ($0["level"] as? String) == "error" })
        // GitHub code scanning rejects a result without a location; the decision points at the rule's line.
        #expect(results.allSatisfy { ($0["locations"] as? [Any])?.isEmpty == false }, "\(results)")
        let decision = try #require(results.first { ($0["ruleId"] as? String) == "blastwall/decision" })
        #expect("\(decision["locations"] ?? "")".contains("blastwall.yml"), "\(decision)")
        // The schema has teeth: an unknown result level is rejected.
        let broken = result.stdout.replacingOccurrences(of: "\"level\": \"note\"", with: "\"level\": \"info\"")
        await #expect(try SchemaValidator.problems(in: broken, schema: schema) != nil)
    }
}
