/// Writes a commented starter `blastwall.yml` for a repository.
public enum StarterConfiguration {
    static func serviceName(_ text: String) -> String {
        let mapped = text.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" }
        return String(mapped).split(separator: "-").joined(separator: "-")
    }

    /// The starter `blastwall.tests.yml`: cases that hold for the starter policy in any repository, so that
    /// `blastwall policy test` passes right after `init`, and show how to write more.
    public static let tests = """
        # blastwall.tests.yml: what the policy must decide, checked by `blastwall policy test` (and in CI).
        # Each case describes a change; `expect` lists what must hold. Reference: docs/configuration.md.
        tests:
          - name: an AI-assisted change needs two approvals and its owners
            change:
              files: [src/example.txt]
              commits:
                - author: "Sam <sam@example.com>"
                  message: "Tidy the example\n\nCo-authored-by: Claude <noreply@anthropic.com>"
            expect:
              provenance: ai-assisted
              requirements: { approvals: 2, owners: all }

          - name: a committed private key is denied
            change:
              files:
                - path: deploy/server-key.txt
                  added_lines: ["-----BEGIN PRIVATE KEY-----"]
            expect:
              decision: deny
              classes: [secrets]

        """

    private static func quoted(_ items: [String]) -> String {
        "[" + items.map { "\"\($0.replacing("\\", with: "\\\\").replacing("\"", with: "\\\""))\"" }.joined(separator: ", ") + "]"
    }

    /// The starter file. With a CODEOWNERS file, its rules become services (`CodeownersImport`) whose owners it
    /// keeps giving; without one, each top-level directory becomes a service to fill in.
    public static func render(codeownersPath: String?, imported: CodeownersImport?, topLevelDirectories: [String]) -> String {
        var services = (imported?.services ?? []).map { (name: $0.name, paths: $0.paths, owners: $0.owners) }
        let fromCodeowners = !services.isEmpty
        if services.isEmpty {
            let skipped: Set<String> = ["docs", "doc", "test", "tests", "scripts", "tools", "node_modules", "vendor", "build", "dist"]
            services = topLevelDirectories.filter { !$0.hasPrefix(".") && !skipped.contains($0) }.map {
                (name: serviceName($0), paths: ["/\($0)/"], owners: [])
            }
        }
        var out = """
            # blastwall.yml: what each change touches, who or what wrote it, and what it needs before it ships.
            # Reference: docs/configuration.md (keys) and docs/policy-language.md (conditions).
            # Check it with:  blastwall config lint      Try it with:  blastwall check

            version: 1

            """
        if let codeownersPath {
            out += "# Owners come from CODEOWNERS wherever a service names none.\ncodeowners: \(codeownersPath)\n\n"
        }
        out += """
            # Services: the paths each owns (CODEOWNERS syntax; the last matching pattern wins),
            # who owns it, how critical it is (tier 1 = most critical … 3), and what it depends on.
            services:

            """
        if services.isEmpty {
            out += """
                  # example:
                  #   paths: ["/services/example/"]
                  #   owners: ["@your-org/example-team"]
                  #   tier: 2
                  #   depends_on: []
                  {}

                """
        }
        if let imported, let codeownersPath, fromCodeowners {
            out +=
                "  # From \(codeownersPath): \(imported.importedRuleCount) of \(imported.ruleCount) rules, one service per set of owners.\n"
            for note in imported.notes { out += "  # Not imported as is: \(note)\n" }
        }
        for service in services {
            out += "  \(service.name):\n"
            out += "    paths: \(quoted(service.paths))\n"
            if fromCodeowners {
                out += "    # owners: from CODEOWNERS (\(service.owners.joined(separator: " ")))\n"
            } else {
                out += "    # owners: [\"@your-org/\(service.name)-team\"]\n"
            }
            out += "    tier: 3  # 1 for services whose failure is an outage\n"
            out += "    # depends_on: []\n"
        }
        out += """

            # Groups: named sets of people and teams that rules can ask approvals from.
            groups:
              senior: []  # e.g. ["@alice", "@your-org/staff-engineers"]

            # Built-in classes (schema-migration, auth, infra, config, dependencies, ci, secrets) apply
            # automatically. Override one or add your own by paths and added-line patterns:
            # classes:
            #   payments-api:
            #     paths: ["/api/payments/"]
            #     added_lines: ['(?i)\\bpublic\\s+func\\b']
            #     risk: 10

            # Provenance: built-in AI signals are recognised (Assisted-by, Co-authored-by: Claude/Copilot/Codex/Cursor/aider,
            # AI agent accounts, AI-Tool/AI-Model trailers); other [bot] accounts are automation (kind 'bot').
            # Add your own trailers and identities:
            # provenance:
            #   trailers:
            #     X-Agent: ai-authored
            #   identities:
            #     - match: "*@agents.your-org.example"
            #       kind: ai-authored

            # Rules: a CEL condition ('when') and outcomes ('require', 'warn', 'deny'). Every matching rule applies;
            # requirements merge to the strictest.
            rules:
              - name: owners-review
                when: size(change.services) > 0
                require: { approvals: 1, owners: all }

              - name: ai-changes-need-two-humans
                when: change.provenance.kind in ["ai-assisted", "ai-authored"]
                require: { approvals: 2, owners: all }

              - name: critical-services-ship-by-canary
                when: blast.max_tier == 1
                require: { canary: true, max_initial_weight: 5 }

              - name: destructive-migrations-need-care
                when: "'schema-migration' in change.classes && risk.score >= 50"
                warn: "destructive schema change with a wide blast radius: ship it behind a backfill and a rollback plan"

              - name: no-secrets
                when: "'secrets' in change.classes"
                deny: "the change adds something that looks like a secret; remove it and rotate the credential"

            # Freezes: every freeze needs an 'until' (its exit condition).
            # freezes:
            #   - name: year-end
            #     from: 2026-12-20T00:00:00Z
            #     until: 2027-01-04T00:00:00Z
            #     when: blast.max_tier == 1
            #     reason: year-end peak traffic
            #     override: { approvals: 2, groups: { senior: 1 } }

            """
        return out
    }
}
