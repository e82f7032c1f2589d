import BlastwallCore
import CEL
import Testing

@testable import CommandGuard

/// The defaults (within scope allow, outside deny, destructive where the agent may not destroy escalate, not
/// understood escalate) and `agent_rules:` over them.
@Suite struct AgentPolicyTests {
    static let now = Timestamp(rfc3339: "2026-12-01T12:00:00Z")!

    static func decide(_ text: String, rules: String = "") throws -> AgentDecision {
        let configuration =
            rules.isEmpty
            ? GuardFixture.configuration
            : try ConfigurationLoader.load(yaml: GuardFixture.yaml + "\nagent_rules:\n" + rules, file: "blastwall.yml").configuration
        let classifier = CommandClassifier(configuration: configuration)
        let classification = classifier.classify(text, in: GuardFixture.context, defaultEnvironment: "dev")
        let actor = AgentActor(definition: configuration.agentGateway.agents[0], session: "s-1")
        return AgentPolicy(configuration: configuration).decide(classification, for: actor, now: now)
    }

    @Test func withinScopeIsAllowed() throws {
        #expect(try Self.decide("kubectl get pods --context prod-eu").verdict == .allow)
        #expect(try Self.decide("kubectl apply -f d.yml --context staging-1").verdict == .allow)
        #expect(try Self.decide("rm -rf /srv").verdict == .allow, "the agent may destroy in dev, its default")
    }

    @Test func outOfScopeIsDenied() throws {
        let write = try Self.decide("kubectl apply -f d.yml --context prod-eu")
        #expect(write.verdict == .deny)
        #expect(write.reason.hasSuffix("out of scope: agent coder may only read in prod"))
    }

    @Test func destructiveInProductionNeedsTwoHumansAndTheOwners() throws {
        let decision = try Self.decide("kubectl delete namespace payments --context prod-eu")
        #expect(decision.verdict == .escalate)
        #expect(decision.requirements == Requirements(approvals: 2, owners: .all))
        #expect(decision.owners == ["payments": ["@pay-team"]])
        #expect(decision.environment == "prod")
        #expect(decision.reason.contains("in prod (context prod-eu matches prod-*), service payments"))
    }

    @Test func destructiveOutsideProductionAsksTheOperator() throws {
        let decision = try Self.decide("kubectl delete namespace payments --context staging-1")
        #expect(decision.verdict == .ask)
        #expect(decision.reason.contains("agent coder may only read and write in staging: the operator must confirm"))
    }

    @Test func whatCannotBeUnderstoodEscalates() throws {
        #expect(try Self.decide("psql -h db1.prod.internal -f migrate.sql").verdict == .escalate)
        #expect(try Self.decide("python3 cleanup.py").verdict == .ask)
        #expect(try Self.decide("echo 'unterminated").verdict == .ask)
    }

    @Test func theGuardsOwnFilesAreNeverAllowedOutright() throws {
        let rules = """
              - name: anything-in-dev
                when: command.environment == "dev"
                allow: true
            """
        #expect(try Self.decide("rm -rf build", rules: rules).verdict == .allow)
        #expect(try Self.decide("echo '' > blastwall.yml", rules: rules).verdict == .ask)
    }

    @Test func rulesDecideBeforeTheDefaults() throws {
        let rules = """
              - name: no-psql-in-prod
                when: command.tool == "psql" && command.production
                deny: "use the read replica, db-ro.prod.internal"
              - name: restarts-are-fine
                when: command.tool == "kubectl" && command.verb == "rollout"
                allow: true
              - name: sre-for-helm
                when: command.tool == "helm" && command.operation == "destructive"
                escalate: { approvals: 1, owners: any }
            """
        let denied = try Self.decide("psql -h db1.prod.internal -c 'SELECT 1'", rules: rules)
        #expect(denied.verdict == .deny)
        #expect(denied.reason.hasSuffix("agent rule 'no-psql-in-prod': use the read replica, db-ro.prod.internal"))
        #expect(try Self.decide("kubectl rollout restart deploy/payments --context prod-eu", rules: rules).verdict == .allow)
        let helm = try Self.decide("helm uninstall web --kube-context staging-1", rules: rules)
        #expect(helm.verdict == .escalate && helm.requirements == Requirements(approvals: 1, owners: .any))
        #expect(helm.owners == ["web": ["@web-team"]])
    }

    @Test func aRuleThatFailsToEvaluateDenies() throws {
        let rules = """
              - name: broken
                when: command.resources[5] == "x"
                allow: true
            """
        let decision = try Self.decide("git status", rules: rules)
        #expect(decision.verdict == .deny)
        #expect(decision.reason.contains("agent rule 'broken' could not be evaluated"))
        #expect(decision.reason.contains("failing closed"))
    }

    @Test func theWorstCommandOfALineDecides() throws {
        let decision = try Self.decide("kubectl get pods --context prod-eu && kubectl apply -f x.yml --context prod-eu")
        #expect(decision.verdict == .deny)
    }

    @Test func aServiceOutsideTheAgentsServicesIsDenied() throws {
        let yaml = GuardFixture.yaml.replacingOccurrences(
            of: "    default_environment: dev", with: "    default_environment: dev\n    services: [web]")
        let configuration = try ConfigurationLoader.load(yaml: yaml, file: "blastwall.yml").configuration
        let classification = CommandClassifier(configuration: configuration).classify(
            "kubectl get pods -n payments --context staging-1", in: GuardFixture.context, defaultEnvironment: "dev")
        let decision = AgentPolicy(configuration: configuration).decide(
            classification, for: AgentActor(definition: configuration.agentGateway.agents[0]), now: Self.now)
        #expect(decision.verdict == .deny)
        #expect(decision.reason.hasSuffix("out of scope: service payments is not among agent coder's services"))
    }
}

/// Mistakes in the agent sections of `blastwall.yml` are errors at their place, with a fix.
@Suite struct AgentConfigurationTests {
    static func errors(_ yaml: String) -> [String] {
        do {
            _ = try ConfigurationLoader.load(yaml: yaml, file: "blastwall.yml")
            return []
        } catch {
            return error.diagnostics.filter { $0.severity == .error }.map(\.description)
        }
    }

    @Test func mistakesAreReportedWhereTheyAre() {
        let found = Self.errors(
            """
            environments:
              prod: { kube_contexts: ["prod-*"], kube_contxts: [x] }
            agents:
              coder:
                environments: { prd: [read], prod: [read, delete] }
                default_environment: staging
            agent_rules:
              - name: a
                when: command.tool == 1
                allow: true
              - name: b
                when: command.tool == "x"
              - when: "true"
                deny: no
            """)
        #expect(found.contains { $0.hasPrefix("blastwall.yml:2:") && $0.contains("kube_contxts") && $0.contains("kube_contexts") })
        #expect(found.contains { $0.hasPrefix("blastwall.yml:5:") && $0.contains("'prd'") && $0.contains("did you mean 'prod'") })
        #expect(found.contains { $0.contains("'delete'") && $0.contains("read, write, destructive") })
        #expect(found.contains { $0.hasPrefix("blastwall.yml:6:") && $0.contains("default_environment") })
        #expect(found.contains { $0.hasPrefix("blastwall.yml:9:") && $0.contains("agent rule 'a'") })
        #expect(found.contains { $0.contains("agent rule 'b' needs exactly one outcome") })
        #expect(found.contains { $0.contains("agent rule #3 has no 'name'") })
    }
}
