/// Writes a commented starter `blastwall.yml` for a repository.
public enum StarterConfiguration {
    public struct ImportedService: Sendable, Equatable {
        public var name: String
        public var paths: [String]
        public var owners: [String]
    }

    /// Services from CODEOWNERS lines whose pattern names a directory (`/services/payments/`, `apps/web/`).
    /// Glob lines such as `*.js` stay in CODEOWNERS, which the starter file points to.
    public static func services(fromCodeowners text: String) -> [ImportedService] {
        var services: [ImportedService] = []
        for rawLine in text.split(separator: "\n") {
            let line = rawLine.prefix { $0 != "#" }
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard let pattern = fields.first, !pattern.contains("*"), !pattern.contains("?"), pattern.contains("/") else { continue }
            let segments = pattern.split(separator: "/")
            guard let last = segments.last else { continue }
            var name = serviceName(String(last))
            if services.contains(where: { $0.name == name }), segments.count > 1 {
                name = serviceName(segments.suffix(2).joined(separator: "-"))
            }
            if let index = services.firstIndex(where: { $0.name == name }) {
                services[index].paths.append(pattern)
            } else {
                services.append(ImportedService(name: name, paths: [pattern], owners: Array(fields.dropFirst())))
            }
        }
        return services
    }

    static func serviceName(_ text: String) -> String {
        let mapped = text.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" }
        return String(mapped).split(separator: "-").joined(separator: "-")
    }

    private static func quoted(_ items: [String]) -> String {
        "[" + items.map { "\"\($0.replacing("\"", with: "\\\""))\"" }.joined(separator: ", ") + "]"
    }

    /// The starter file. With a CODEOWNERS file, its directories become services and its owners apply elsewhere;
    /// without one, each top-level directory becomes a service to fill in.
    public static func render(codeownersPath: String?, codeownersText: String?, topLevelDirectories: [String]) -> String {
        var services = codeownersText.map(services(fromCodeowners:)) ?? []
        let imported = !services.isEmpty
        if services.isEmpty {
            let skipped: Set<String> = ["docs", "doc", "test", "tests", "scripts", "tools", "node_modules", "vendor", "build", "dist"]
            services = topLevelDirectories.filter { !$0.hasPrefix(".") && !skipped.contains($0) }.map {
                ImportedService(name: serviceName($0), paths: ["/\($0)/"], owners: [])
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
        for service in services {
            out += "  \(service.name):\n"
            out += "    paths: \(quoted(service.paths))\n"
            if service.owners.isEmpty {
                out += imported ? "" : "    # owners: [\"@your-org/\(service.name)-team\"]\n"
            } else {
                out += "    owners: \(quoted(service.owners))\n"
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

            # Provenance: built-in AI signals are recognised (Assisted-by, Co-authored-by: Claude/Copilot/Codex/Cursor,
            # [bot] authors, AI-Tool/AI-Model trailers). Add your own trailers and identities:
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
                when: change.provenance.kind != "human"
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
