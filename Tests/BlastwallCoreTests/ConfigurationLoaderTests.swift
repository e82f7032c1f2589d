import CEL
import Testing

@testable import BlastwallCore

@Suite struct ConfigurationLoaderTests {
    func errors(_ yaml: String) -> [String] { configurationErrors(yaml) }

    @Test func loadsAFullConfiguration() throws {
        let yaml = """
            version: 1
            services:
              payments:
                paths: ["/services/payments/"]
                owners: ["@org/payments"]
                tier: 1
                depends_on: [ledger]
              ledger:
                paths: ["/services/ledger/"]
            groups:
              senior: ["@alice"]
            classes:
              schema-migration:
                risk: 40
              flags:
                paths: ["/flags/"]
                added_lines: ['enabled:\\s*true']
            provenance:
              trailers:
                X-Agent: ai-authored
              identities:
                - match: "*@agents.example.com"
                  kind: ai-authored
                  tool: internal-agent
            rules:
              - name: ai
                when: change.provenance.kind != "human"
                require: { approvals: 2, owners: all, groups: { senior: 1 }, canary: true, max_initial_weight: 5 }
                warn: careful
            freezes:
              - name: holidays
                from: 2026-12-20T00:00:00Z
                until: 2027-01-04T00:00:00Z
                reason: peak
                override: { approvals: 2 }
            """
        let (configuration, warnings) = try ConfigurationLoader.load(yaml: yaml, file: "blastwall.yml")
        #expect(warnings.isEmpty)
        #expect(configuration.services.map(\.name) == ["payments", "ledger"])
        #expect(configuration.services[0].tier == 1 && configuration.services[1].tier == 3)
        #expect(configuration.classes.first { $0.name == "schema-migration" }?.risk == 40)
        #expect(configuration.classes.last?.name == "flags")
        #expect(configuration.provenance.trailers["x-agent"] == .aiAuthored)
        #expect(
            configuration.rules[0].require
                == Requirements(approvals: 2, owners: .all, groups: ["senior": 1], canary: true, maxInitialWeight: 5))
        #expect(configuration.freezes[0].until == Timestamp(rfc3339: "2027-01-04T00:00:00Z"))
    }

    @Test func unknownKeysGetPositionAndSuggestion() {
        let found = errors("services:\n  api:\n    paths: [\"/api/\"]\n    ownres: [\"@a\"]\n")
        #expect(found == ["blastwall.yml:4:5: error: unknown key 'ownres' in service 'api'; did you mean 'owners'?"])
    }

    @Test func misspelledFieldInAConditionIsALintErrorWithASuggestion() {
        let found = errors("rules:\n  - name: r\n    when: \"'auth' in change.clases\"\n    warn: x\n")
        #expect(
            found == [
                "blastwall.yml:3:29: error: in the 'when' of rule 'r': undefined field 'clases' on blastwall.Change; did you mean 'classes'?"
            ])
    }

    @Test func conditionInABlockScalarIsLocatedOnItsOwnLine() {
        let found = errors("rules:\n  - name: r\n    when: |\n      risk.score > 10 &&\n        blast.max_teir == 1\n    warn: x\n")
        #expect(found.count == 1)
        #expect(found[0].hasPrefix("blastwall.yml:5:15: error:"), "\(found)")
        #expect(found[0].contains("did you mean 'max_tier'"))
    }

    @Test func badGlobsRegexesExpressionsAndReferencesAreAllReported() {
        let yaml = """
            services:
              api:
                paths: ["!secret", "[ab]"]
                depends_on: [paymnts]
              payments:
                paths: ["/payments/"]
            classes:
              custom:
                added_lines: ["(unclosed"]
            rules:
              - name: r
                when: "1 +"
                require: { groups: { seniors: 1 } }
              - name: r
                when: "size(change.files) > 'x'"
                deny: no
              - name: no-outcome
                when: "true"
            freezes:
              - name: forever
                reason: no end
            """
        let found = errors(yaml)
        #expect(found.contains { $0.hasPrefix("blastwall.yml:3:13: error: invalid path pattern '!secret'") })
        #expect(found.contains { $0.hasPrefix("blastwall.yml:3:24: error: invalid path pattern '[ab]'") })
        #expect(found.contains { $0.contains("depends on unknown service 'paymnts'; did you mean 'payments'?") })
        #expect(found.contains { $0.hasPrefix("blastwall.yml:9:19: error: invalid regular expression '(unclosed'") })
        #expect(found.contains { $0.hasPrefix("blastwall.yml:12:15: error: in the 'when' of rule 'r'") })
        #expect(found.contains { $0.contains("unknown group 'seniors'") })
        #expect(found.contains { $0.contains("a rule named 'r' already exists") })
        #expect(found.contains { $0.contains("found no matching overload for '>' applied to '(int, string)'") })
        #expect(found.contains { $0.contains("rule 'no-outcome' has no outcome") })
        #expect(found.contains { $0.contains("freeze 'forever' has no 'until'") })
    }

    @Test func dependencyCyclesAreWarningsNotErrors() throws {
        let yaml = """
            services:
              a: { paths: ["/a/"], depends_on: [b] }
              b: { paths: ["/b/"], depends_on: [c] }
              c: { paths: ["/c/"], depends_on: [a] }
              d: { paths: ["/d/"], depends_on: [d] }
            """
        let (_, warnings) = try ConfigurationLoader.load(yaml: yaml, file: "blastwall.yml")
        #expect(
            warnings.map(\.message) == [
                "dependency cycle: a -> b -> c -> a; blast radius still terminates",
                "dependency cycle: d -> d; blast radius still terminates",
            ])
        #expect(warnings.allSatisfy { $0.severity == .warning })
    }

    @Test func anUnknownDependencyIsReportedAtItsService() {
        let found = errors("services:\n  api: { paths: [\"/api/\"] }\n  web: { paths: [\"/web/\"], depends_on: [ap] }\n")
        #expect(found == ["blastwall.yml:3:3: error: service 'web' depends on unknown service 'ap'; did you mean 'api'?"])
    }

    @Test func groupMembersAndOwnersMustNameSomeone() {
        let found = errors("services:\n  api: { paths: [\"/api/\"], owners: [true] }\ngroups:\n  sre: 5\n  ops: [\"@b\", 1.5]\n")
        #expect(
            found == [
                "blastwall.yml:2:37: error: the owners of service 'api' must name people, teams or emails, such as [\"@alice\", \"@acme/sre\"]; the boolean true names no one",
                "blastwall.yml:4:8: error: the members of group 'sre' must name people, teams or emails, such as [\"@alice\", \"@acme/sre\"]; the number 5 names no one",
                "blastwall.yml:5:15: error: the members of group 'ops' must name people, teams or emails, such as [\"@alice\", \"@acme/sre\"]; the number 1.5 names no one",
            ])
        #expect(errors("groups:\n  sre: [\"5\", \"@acme/sre\", dana@example.com]\n").isEmpty)
    }

    @Test func aServiceThatALaterPatternHidesIsAWarning() throws {
        let yaml = """
            services:
              api: { paths: ["/api/"] }
              web: { paths: ["/web/", "/api/v1/*.go"] }
              docs: { paths: ["*.md"] }
              everything: { paths: ["*"] }
              ledger: { paths: ["/ledger/"] }
            """
        let (_, warnings) = try ConfigurationLoader.load(yaml: yaml, file: "blastwall.yml")
        #expect(
            warnings.map(\.description) == [
                "blastwall.yml:2:3: warning: service 'api' owns no file: later services match everything its paths match ('/api/' by '*' of 'everything'), and the last match wins; move 'api' below 'everything', or narrow the later paths",
                "blastwall.yml:3:3: warning: service 'web' owns no file: later services match everything its paths match ('/web/' by '*' of 'everything', '/api/v1/*.go' by '*' of 'everything'), and the last match wins; move 'web' below 'everything', or narrow the later paths",
                "blastwall.yml:4:3: warning: service 'docs' owns no file: later services match everything its paths match ('*.md' by '*' of 'everything'), and the last match wins; move 'docs' below 'everything', or narrow the later paths",
            ])
        let (_, partly) = try ConfigurationLoader.load(
            yaml: "services:\n  api:\n    paths: [\"/api/\", \"/web/api/\"]\n  web: { paths: [\"/web/\"] }\n", file: "blastwall.yml")
        #expect(
            partly.map(\.description) == [
                "blastwall.yml:3:22: warning: path '/web/api/' of service 'api' never applies: '/web/' of the later service 'web' matches everything it matches, and the last match wins; remove the path or move it to a service below 'web'"
            ])
    }

    @Test func anUnquotedConditionGetsTheQuotingHint() {
        let found = errors("rules:\n  - name: r\n    when: 'secrets' in change.classes\n    deny: no\n")
        #expect(found.count == 1)
        #expect(
            found[0].hasSuffix(
                "the value of 'when' starts with a quoted string and goes on after it; quote the whole value: when: \"'secrets' in change.classes\""
            ),
            "\(found)")
    }

    @Test func conditionMistakesFromOtherLanguagesGetTheCELWay() {
        let found = errors(
            """
            rules:
              - name: a
                when: "size(change.services > 0"
                deny: no
              - name: b
                when: "change.risk > 50"
                deny: no
              - name: c
                when: "change.services.any(s, s == 'api')"
                deny: no
              - name: d
                when: "provenance.kind == 'bot'"
                deny: no
            """)
        #expect(
            found == [
                "blastwall.yml:3:36: error: in the 'when' of rule 'a': missing ')' to close 'size('",
                "blastwall.yml:6:19: error: in the 'when' of rule 'b': undefined field 'risk' on blastwall.Change; did you mean 'risk.factors', 'risk.level' or 'risk.score'?",
                "blastwall.yml:9:28: error: in the 'when' of rule 'c': undeclared function 'any'; did you mean 'exists'? CEL writes it as list.exists(x, condition)",
                "blastwall.yml:12:12: error: in the 'when' of rule 'd': undeclared reference to 'provenance'; did you mean 'change.provenance'?",
            ])
        // The condition of a misnamed macro is still checked, with its variable bound.
        let inner = errors("rules:\n  - name: c\n    when: \"change.files.any(f, f.pth == 'x')\"\n    deny: no\n")
        #expect(inner.count == 2 && inner[1].contains("undefined field 'pth' on blastwall.File; did you mean 'path'?"), "\(inner)")
    }

    @Test func invalidYAMLReportsItsPosition() {
        let found = errors("services:\n  api:\n    paths: [\"/api/\"\n")
        #expect(found.count == 1)
        #expect(found[0].hasPrefix("blastwall.yml:4:1: error: invalid YAML"), "\(found)")
    }

    @Test func starterConfigurationsLoadCleanly() throws {
        let codeowners = "*.js @js\n/services/payments/ @org/payments\napps/web/ @org/web\n/docs/ @org/docs\n"
        let imported = CodeownersImport(codeowners: codeowners, path: ".github/CODEOWNERS", files: [])
        #expect(imported.services.map(\.name) == ["js", "payments", "web", "docs"])
        for text in [
            StarterConfiguration.render(codeownersPath: ".github/CODEOWNERS", imported: imported, topLevelDirectories: []),
            StarterConfiguration.render(codeownersPath: nil, imported: nil, topLevelDirectories: ["api", "web", ".git", "docs"]),
            StarterConfiguration.render(codeownersPath: nil, imported: nil, topLevelDirectories: []),
        ] {
            let (configuration, _) = try ConfigurationLoader.load(yaml: text, file: "blastwall.yml")
            #expect(configuration.rules.count == 5)
            // The starter tests pass against every starter policy.
            let suite = try PolicyTestSuite(yaml: StarterConfiguration.tests, file: "blastwall.tests.yml")
            let results = suite.run(
                with: ChangeAnalyzer(configuration: configuration), defaultNow: Timestamp(rfc3339: "2026-12-01T00:00:00Z")!)
            #expect(results.count == 2 && results.allSatisfy(\.failures.isEmpty), "\(results.map(\.failures))")
        }
    }
}
