import BlastwallCore

/// The versioned JSON contract of `blastwall check --format json` (documented in docs/json-output.md).
public enum JSONReport {
    public static func render(_ report: GateReport) -> JSONValue {
        .object([
            ("schema_version", .int(Int64(GateReport.schemaVersion))),
            ("decision", .string(report.decision.rawValue)),
            ("reasons", strings(report.reasons)),
            ("warnings", strings(report.warnings + report.configurationWarnings.map(\.description))),
            ("requirements", requirements(report.requirements, owners: report.requiredOwners)),
            (
                "services",
                .array(
                    report.services.map { service in
                        .object([
                            ("name", .string(service.name)), ("tier", .int(Int64(service.tier))),
                            ("owners", strings(service.owners)), ("files", .int(Int64(service.fileCount))),
                        ])
                    })
            ),
            (
                "blast_radius",
                .object([
                    ("services", strings(report.blastRadius.services)),
                    ("max_tier", .int(Int64(report.blastRadius.maxTier))),
                    ("dependents", strings(report.blastRadius.dependents)),
                    ("tiers", .object(report.blastRadius.services.map { ($0, .int(Int64(report.blastRadius.tiers[$0] ?? 3))) })),
                ])
            ),
            ("classes", strings(report.classes)),
            ("provenance", provenance(report.provenance)),
            (
                "risk",
                .object([
                    ("score", .int(Int64(report.risk.score))),
                    ("level", .string(report.risk.level.rawValue)),
                    (
                        "factors",
                        .array(
                            report.risk.factors.map { factor in
                                .object([
                                    ("name", .string(factor.name)), ("points", .int(Int64(factor.points))),
                                    ("reason", .string(factor.reason)),
                                ])
                            })
                    ),
                ])
            ),
            ("files", .array(report.files.concurrentMap(file))),
            ("unowned_files", strings(report.unownedFiles)),
            ("rules", strings(report.matchedRules.map(\.name))),
            ("rule_matches", .array(report.matchedRules.map(ruleMatch))),
            ("freezes", strings(report.activeFreezes.map(\.name))),
            (
                "freeze_details",
                .array(
                    report.activeFreezes.map { freeze in
                        .object([
                            ("name", .string(freeze.name)), ("until", .string(freeze.until.rfc3339)), ("reason", .string(freeze.reason)),
                            ("override", requirements(freeze.override, owners: [:])),
                        ])
                    })
            ),
            (
                "commits",
                .array(
                    report.commits.map { commit in
                        .object([
                            ("sha", .string(commit.commit.sha)),
                            (
                                "author",
                                .object([("name", .string(commit.commit.author.name)), ("email", .string(commit.commit.author.email))])
                            ),
                            (
                                "committer",
                                .object([
                                    ("name", .string(commit.commit.committer.name)), ("email", .string(commit.commit.committer.email)),
                                ])
                            ),
                            (
                                "co_authors",
                                .array(
                                    commit.commit.coAuthors.map { .object([("name", .string($0.name)), ("email", .string($0.email))]) })
                            ),
                            ("subject", .string(String(commit.commit.message.prefix { $0 != "\n" }))),
                            ("authored_at", commit.commit.authoredAt.map(JSONValue.string) ?? .null),
                            ("provenance", provenance(commit.provenance)),
                        ])
                    })
            ),
            ("lines_added", .int(Int64(report.linesAdded))),
            ("lines_removed", .int(Int64(report.linesRemoved))),
            ("base", report.base.map(JSONValue.string) ?? .null),
            ("head", report.head.map(JSONValue.string) ?? .null),
            ("evaluated_at", .string(report.evaluatedAt.rfc3339)),
        ])
    }

    static func strings(_ values: [String]) -> JSONValue { .array(values.map(JSONValue.string)) }

    static func requirements(_ requirements: Requirements, owners: [String: [String]]) -> JSONValue {
        .object([
            ("approvals", .int(Int64(requirements.approvals))),
            ("owners", .object(owners.sorted { $0.key < $1.key }.map { ($0.key, strings($0.value)) })),
            ("owners_mode", .string(requirements.owners.rawValue)),
            ("groups", .object(requirements.groups.sorted { $0.key < $1.key }.map { ($0.key, .int(Int64($0.value))) })),
            ("canary", .bool(requirements.canary)),
            ("max_initial_weight", requirements.maxInitialWeight.map { .int(Int64($0)) } ?? .null),
        ])
    }

    static func provenance(_ provenance: Provenance) -> JSONValue {
        .object([
            ("kind", .string(provenance.kind.rawValue)), ("tools", strings(provenance.tools)),
            ("models", strings(provenance.models)), ("signals", strings(provenance.signals)),
        ])
    }

    static func file(_ file: FileReport) -> JSONValue {
        var members: [(String, JSONValue)] = [("path", .string(file.change.path))]
        if let oldPath = file.change.oldPath { members.append(("old_path", .string(oldPath))) }
        members += [
            ("status", .string(file.change.status.rawValue)),
            ("added", .int(Int64(file.change.linesAdded))),
            ("removed", .int(Int64(file.change.linesRemoved))),
            ("binary", .bool(file.change.isBinary)),
            ("service", file.service.map(JSONValue.string) ?? .null),
            ("owners", strings(file.owners)),
            ("classes", strings(file.classes)),
        ]
        if !file.findings.isEmpty {
            members.append(
                (
                    "findings",
                    .array(
                        file.findings.map { finding in
                            .object([
                                ("class", .string(finding.className)), ("line", .int(Int64(finding.line))),
                                ("pattern", .string(finding.pattern)),
                            ])
                        })
                ))
        }
        if file.change.isTruncated { members.append(("truncated", .bool(true))) }
        return .object(members)
    }

    static func ruleMatch(_ match: RuleMatch) -> JSONValue {
        var members: [(String, JSONValue)] = [("name", .string(match.name))]
        if let require = match.require { members.append(("require", requirements(require, owners: [:]))) }
        if let warn = match.warn { members.append(("warn", .string(warn))) }
        if let deny = match.deny { members.append(("deny", .string(deny))) }
        if let error = match.error { members.append(("error", .string(error))) }
        if let location = match.location { members.append(("location", .string(location.description))) }
        return .object(members)
    }
}
