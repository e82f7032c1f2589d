import CEL
import PropertyBased
import Testing

@testable import BlastwallCore

/// A snapshot gives back the configuration it was made from, places included, and nothing else is read.
@Suite struct ConfigurationSnapshotTests {
    static let yaml = """
        version: 1
        codeowners: .github/CODEOWNERS
        policy_owners: ["@org/platform"]
        services:
          payments:
            paths: ["/services/payments/", "*.pay"]
            owners: ["@org/payments", dana@example.com]
            tier: 1
            depends_on: [ledger]
          ledger:
            paths: ["/services/ledger/"]
          hidden:
            paths: ["/services/ledger/core/"]
          core:
            paths: ["/services/ledger/core/"]
        groups:
          senior: ["@alice", "@org/leads"]
          empty: []
          reviewers:
            members: ["@carol"]
            github_team: acme/senior-eng
            gitlab_group: acme/platform/leads
        incidents:
          service_labels: [app, service]
          window: 6h
          auto_rollback: { min_score: 0.5, kinds: [rollout] }
        forge:
          unmapped_reviewers: count
          dismiss_stale: true
          ai_accounts: ["acme-agent*"]
          labels: { tier: "risk/tier-{tier}", needs_owners: ~ }
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
            - match: "release-bot*"
              kind: bot
        rollouts:
          max_initial_weight_by_tier: {1: 5, 2: 25}
        rules:
          - name: ai
            when: change.provenance.kind != "human"
            require: { approvals: 2, owners: all, groups: { senior: 1 }, canary: true, max_initial_weight: 5 }
            warn: careful
          - name: always
            require: { approvals: 1 }
          - name: no-secrets
            when: "'secrets' in change.classes"
            deny: secrets found
        freezes:
          - name: holidays
            from: 2026-12-20T00:00:00Z
            until: 2027-01-04T00:00:00.5Z
            when: size(change.services) > 0
            reason: peak
            override: { approvals: 2, owners: any }
          - name: open-ended-start
            until: 1970-01-01T00:00:01Z
        environments:
          prod: { kube_contexts: ["prod-*"], aws_profiles: [prod], db_hosts: ["*.prod.internal"] }
          staging: { production: false, kube_namespaces: [staging] }
          dev:
        agents:
          coder:
            model: claude-opus-4
            operator: "@dana"
            services: [payments, "ledger-*"]
            default_environment: staging
            grant_lifetime: 5m
            environments: { prod: [read], staging: [read, write], dev: all }
        agent_rules:
          - name: no-prod-sql
            when: command.environment == "prod" && command.tool == "psql"
            deny: use the read replica
          - name: restarts
            when: command.verb == "rollout"
            allow: true
          - name: drops
            when: "'drop' in command.flags"
            escalate: { approvals: 2, owners: all, groups: { senior: 1 } }
        """

    @Test func aSnapshotReadsBackAsTheConfigurationItWasMadeFrom() throws {
        let (configuration, warnings) = try ConfigurationLoader.load(yaml: Self.yaml, file: "blastwall.yml")
        #expect(!warnings.isEmpty, "the hidden service is a warning, which the snapshot keeps")
        let bytes = ConfigurationSnapshot.encode(configuration, warnings: warnings, file: "blastwall.yml")
        let (read, readWarnings) = try #require(ConfigurationSnapshot.decode(bytes, file: "blastwall.yml"))
        #expect(ConfigurationSnapshot.encode(read, warnings: readWarnings, file: "blastwall.yml") == bytes)
        #expect(readWarnings == warnings)
        #expect(read.services.map(\.name) == configuration.services.map(\.name))
        #expect(read.services[0].paths == configuration.services[0].paths)
        #expect(read.services[0].location == configuration.services[0].location)
        #expect(read.rules.map(\.condition.source) == configuration.rules.map(\.condition.source))
        #expect(read.rules[0].require == configuration.rules[0].require)
        #expect(read.freezes.map(\.until) == configuration.freezes.map(\.until))
        #expect(read.freezes[0].from == configuration.freezes[0].from && read.freezes[0].override == configuration.freezes[0].override)
        #expect(read.groups == configuration.groups && read.policyOwners == configuration.policyOwners)
        #expect(read.maxInitialWeightByTier == [1: 5, 2: 25] && read.codeownersPath == ".github/CODEOWNERS")
        #expect(read.provenance.trailers == configuration.provenance.trailers)
        #expect(read.provenance.identities.map(\.pattern) == configuration.provenance.identities.map(\.pattern))
        #expect(read.classes.map(\.name) == configuration.classes.map(\.name))
        let secrets = try #require(read.classes.first { $0.name == "secrets" })
        #expect(secrets.addedLines.contains { $0.matches(#"let key = "AKIAIOSFODNN7EXAMPLE""#) })
        // The high-entropy pattern keeps its entropy threshold: a key matches, a placeholder does not.
        #expect(secrets.addedLines.contains { $0.matches(#"API_KEY = "q8ZrT3vL9xWm2NbK7pYc4Hd""#) })
        #expect(!secrets.addedLines.contains { $0.matches(#"API_KEY = "your-api-key-goes-here""#) })
        #expect(read.classes.first { $0.name == "flags" }?.addedLines.first?.matches("enabled: true") == true)
        #expect(read.forge == configuration.forge)
        #expect(read.incidents == configuration.incidents && read.incidents.window == 21_600)
        #expect(read.incidents.autoRollback == IncidentSettings.AutoRollback(minimumScore: 0.5, kinds: [.rollout]))
        #expect(read.forge.unmappedReviewers == .count && read.forge.dismissStale && read.forge.aiAccounts == ["acme-agent*"])
        #expect(read.forge.labels.tier == "risk/tier-{tier}" && read.forge.labels.needsOwners == nil)
        #expect(read.forge.labels.aiAssisted == "blastwall/ai-assisted")
        #expect(
            read.forge.groupTeams["reviewers"] == [
                ForgeTeam(forge: "github", path: "acme/senior-eng"), ForgeTeam(forge: "gitlab", path: "acme/platform/leads"),
            ])
        #expect(read.groups["reviewers"] == ["@carol"])
        let gateway = read.agentGateway
        #expect(gateway.environments.map(\.name) == ["prod", "staging", "dev"])
        #expect(gateway.environments.map(\.isProduction) == [true, false, false])
        #expect(gateway.environments[0].pattern(matching: "db1.prod.internal", as: .hosts)?.source == "*.prod.internal")
        #expect(gateway.agents[0].environments == configuration.agentGateway.agents[0].environments)
        #expect(gateway.agents[0].operatorName == "@dana" && gateway.agents[0].defaultEnvironment == "staging")
        #expect(gateway.agents[0].grantLifetime == 300)
        #expect(gateway.rules.map(\.outcome) == configuration.agentGateway.rules.map(\.outcome))
        #expect(gateway.rules.map(\.condition.source) == configuration.agentGateway.rules.map(\.condition.source))
    }

    @Test func placesInTheFileTakeTheNameTheReaderGives() throws {
        let (configuration, warnings) = try ConfigurationLoader.load(yaml: Self.yaml, file: "blastwall.yml (at 0123456789ab)")
        let bytes = ConfigurationSnapshot.encode(configuration, warnings: warnings, file: "blastwall.yml (at 0123456789ab)")
        let (read, readWarnings) = try #require(ConfigurationSnapshot.decode(bytes, file: "blastwall.yml (at fedcba987654)"))
        #expect(read.services[0].location?.description == "blastwall.yml (at fedcba987654):5:3")
        #expect(readWarnings.allSatisfy { $0.location?.file == "blastwall.yml (at fedcba987654)" })
    }

    /// The snapshot lists each type's fields: one added to the model and not to the snapshot would be lost
    /// on every cached run, so a new field fails here until `ConfigurationSnapshot` writes it.
    @Test func everyFieldOfTheModelIsInTheSnapshot() throws {
        let (configuration, _) = try ConfigurationLoader.load(yaml: Self.yaml, file: "blastwall.yml")
        func fields(_ value: Any) -> [String] { Mirror(reflecting: value).children.compactMap(\.label) }
        #expect(
            fields(configuration) == [
                "services", "groups", "classes", "provenance", "rules", "freezes", "codeownersPath", "codeowners",
                "maxInitialWeightByTier", "policyOwners", "agentGateway", "forge", "incidents",
            ])
        #expect(fields(configuration.incidents) == ["serviceLabels", "window", "autoRollback"])
        #expect(fields(configuration.forge) == ["unmappedReviewers", "dismissStale", "aiAccounts", "labels", "groupTeams"])
        #expect(fields(configuration.forge.labels) == ["aiAssisted", "tier", "needsOwners"])
        let gateway = configuration.agentGateway
        #expect(fields(gateway) == ["environments", "agents", "rules"])
        #expect(fields(gateway.environments[0]) == ["name", "isProduction", "patterns"])
        #expect(
            fields(gateway.agents[0]) == [
                "name", "model", "operatorName", "services", "environments", "defaultEnvironment", "grantLifetime", "location",
            ])
        #expect(fields(gateway.rules[0]) == ["name", "condition", "outcome", "location"])
        #expect(fields(configuration.services[0]) == ["name", "paths", "location", "pathLocations", "owners", "tier", "dependsOn"])
        #expect(fields(configuration.rules[0]) == ["name", "condition", "require", "warn", "deny", "location"])
        #expect(fields(configuration.freezes[0]) == ["name", "from", "until", "condition", "reason", "override"])
        #expect(fields(configuration.classes[0]) == ["name", "paths", "addedLines", "risk", "isBuiltIn"])
        #expect(fields(configuration.classes[0].addedLines[0]) == ["source", "regex", "requiredWords", "minimumTokenEntropy"])
        #expect(fields(Requirements()) == ["approvals", "owners", "groups", "canary", "maxInitialWeight"])
        #expect(fields(configuration.provenance) == ["trailers", "identities"])
        #expect(fields(configuration.provenance.identities[0]) == ["pattern", "kind", "tool"])
        #expect(fields(warningsExample) == ["severity", "message", "location"])
    }

    let warningsExample = Diagnostic(.warning, "w", at: nil)

    @Test func bytesThatAreNotASnapshotAreRefused() throws {
        let (configuration, warnings) = try ConfigurationLoader.load(yaml: Self.yaml, file: "blastwall.yml")
        let bytes = ConfigurationSnapshot.encode(configuration, warnings: warnings, file: "blastwall.yml")
        #expect(ConfigurationSnapshot.decode([], file: "blastwall.yml") == nil)
        #expect(ConfigurationSnapshot.decode([99] + bytes.dropFirst(), file: "blastwall.yml") == nil, "another format version")
        #expect(ConfigurationSnapshot.decode(Array(bytes.dropLast()), file: "blastwall.yml") == nil, "cut short")
        #expect(ConfigurationSnapshot.decode(bytes + [0], file: "blastwall.yml") == nil, "trailing bytes")
    }

    /// Whatever the bytes, reading them never crashes: a damaged cache file is only a cache miss.
    @Test func anyDamageIsACacheMissNeverACrash() async throws {
        let (configuration, warnings) = try ConfigurationLoader.load(yaml: Self.yaml, file: "blastwall.yml")
        let bytes = ConfigurationSnapshot.encode(configuration, warnings: warnings, file: "blastwall.yml")
        await propertyCheck(count: 300, input: Gen.int(in: 1...(bytes.count - 1)).array(of: 1...4), Gen.int(in: 0...255).array(of: 4...4)) {
            offsets, values in
            var damaged = bytes
            for (offset, value) in zip(offsets, values) { damaged[offset] = UInt8(value) }
            _ = ConfigurationSnapshot.decode(damaged, file: "blastwall.yml")
        }
    }
}
