import Testing

@testable import BlastwallCore

/// `forge:` and team-backed groups: defaults, every setting, and each mistake reported at its line.
@Suite struct ForgeConfigurationTests {
    func errors(_ yaml: String) -> [String] { configurationErrors(yaml) }

    @Test func defaultsIgnoreUnmappedReviewersAndLabelByTheBuiltInNames() throws {
        let (configuration, _) = try ConfigurationLoader.load(yaml: "version: 1\n", file: "blastwall.yml")
        #expect(configuration.forge == ForgeSettings())
        #expect(configuration.forge.unmappedReviewers == .ignore && !configuration.forge.dismissStale)
        #expect(configuration.forge.labels.aiAssisted == "blastwall/ai-assisted")
        #expect(configuration.forge.labels.tier == "blastwall/tier-{tier}")
        #expect(configuration.forge.labels.needsOwners == "blastwall/needs-owners")
    }

    @Test func labelsFalseTurnsThemOffAndGroupsMixListsAndTeams() throws {
        let yaml = """
            version: 1
            forge: { labels: false }
            groups:
              senior: { github_team: acme/senior-eng, gitea_team: acme/leads }
              plain: ["@dana"]
            rules:
              - name: senior
                require: { groups: { senior: 1 } }
            """
        let (configuration, _) = try ConfigurationLoader.load(yaml: yaml, file: "blastwall.yml")
        #expect(configuration.forge.labels == .none)
        #expect(configuration.groups == ["senior": [], "plain": ["@dana"]])
        #expect(configuration.forge.groupTeams["senior"]?.map(\.forge) == ["github", "gitea"])
    }

    @Test func mistakesAreErrorsAtTheirLine() {
        #expect(
            errors("version: 1\nforge:\n  unmapped_reviewers: always\n")
                == ["blastwall.yml:3:23: error: forge.unmapped_reviewers is 'always', but must be one of ignore, count"])
        #expect(errors("version: 1\nforge:\n  dismis_stale: true\n").first?.contains("did you mean 'dismiss_stale'") == true)
        #expect(errors("version: 1\nforge:\n  labels: { tier: risk }\n").first?.contains("must contain {tier}") == true)
        #expect(errors("version: 1\ngroups:\n  senior: { github_team: senior-eng }\n").first?.contains("ORGANIZATION/TEAM") == true)
        #expect(errors("version: 1\ngroups:\n  senior: { github_teams: acme/x }\n").first?.contains("did you mean 'github_team'") == true)
    }
}

/// `incidents:`: defaults, settings, and each mistake at its line.
@Suite struct IncidentConfigurationTests {
    func errors(_ yaml: String) -> [String] { configurationErrors(yaml) }

    @Test func defaultsAndSettings() throws {
        #expect(try ConfigurationLoader.load(yaml: "version: 1\n", file: "b.yml").configuration.incidents == IncidentSettings())
        let (configuration, _) = try ConfigurationLoader.load(
            yaml: "version: 1\nincidents:\n  service_labels: [app]\n  window: 2h\n  auto_rollback: { min_score: 0.4 }\n", file: "b.yml")
        #expect(configuration.incidents.serviceLabels == ["app"] && configuration.incidents.window == 7_200)
        #expect(configuration.incidents.autoRollback?.kinds == [.rollout, .flag], "automation's kinds default to rollouts and flags")
    }

    @Test func mistakesAreErrorsAtTheirLine() {
        #expect(errors("version: 1\nincidents:\n  auto_rollback: { kinds: [rollout] }\n").first?.contains("needs min_score") == true)
        #expect(
            errors("version: 1\nincidents:\n  auto_rollback: { min_score: 0.5, kinds: [switch] }\n").first?.contains(
                "automation may undo only flag and rollout") == true)
        #expect(errors("version: 1\nincidents:\n  service_labels: []\n").first?.contains("at least one label") == true)
        #expect(errors("version: 1\nincidents:\n  windw: 2h\n").first?.contains("did you mean 'window'") == true)
    }
}
