import BlastwallAudit
import BlastwallControlPlane
import BlastwallCore
import BlastwallReporting
import CEL
import Crypto

/// Real `blastwall check` reports for tests, made by the analyzer and the JSON renderer.
enum Reports {
    static let configurationYAML = """
        services:
          payments: { paths: ["/payments/"], owners: ["@acme/payments"], tier: 1 }
          ledger: { paths: ["/ledger/"], owners: ["@acme/ledger"], tier: 1 }
        groups:
          senior: ["@lee"]
        rules:
          - name: owners
            when: size(change.services) > 0
            require: { approvals: 2, owners: all, groups: { senior: 1 } }
          - name: no-secrets
            when: "'secrets' in change.classes"
            deny: remove the secret
        freezes:
          - name: holidays
            from: 2026-12-20T00:00:00Z
            until: 2027-01-04T00:00:00Z
            reason: peak
            override: { approvals: 1, groups: { senior: 1 } }
        """

    static let configuration: Configuration = try! ConfigurationLoader.load(yaml: configurationYAML, file: "blastwall.yml").configuration

    /// The key of the fixture's `ci` identity (`user-ci`), which signs the reports tests submit.
    static let ciKey = SigningKey()

    /// A full commit id for a short label such as `h1`, as the server only takes full ids.
    static func sha(_ label: String) -> String {
        String(Hex.encode(SHA256.hash(data: Array(label.utf8))).prefix(40))
    }

    static func report(
        files: [String], head: String = "h1", author: Identity = Identity(name: "Sam", email: "sam@acme.example"),
        now: String = "2026-11-23T12:00:00Z"
    ) -> JSONValue {
        let commit = Commit(sha: sha("c-" + head), author: author, committer: author, message: "Change\n")
        let changeSet = ChangeSet(
            files: files.map { FileChange(path: $0, status: .modified, linesAdded: 1) }, commits: [commit], base: sha("b0"), head: sha(head)
        )
        return JSONReport.render(ChangeAnalyzer(configuration: configuration).analyze(changeSet, now: Timestamp(rfc3339: now)!))
    }

    /// A report signed by the fixture's ci key, as `blastwall check --submit --sign KEY` sends it; `changedSince`
    /// names the previous head and the files changed since.
    static func submissionValue(
        branch: String, head: String, files: [String] = ["payments/api.swift", "ledger/book.swift"],
        changedSince: (head: String, files: [String])? = nil, now: String = "2026-11-23T12:00:00Z", key: SigningKey = ciKey
    ) -> ControlPlane.Submission {
        let report = report(files: files, head: head, now: now)
        let statement = Attestation.reportStatement(
            repository: "acme/monorepo", report: report, changedSince: changedSince.map { (sha($0.head), $0.files) })
        return ControlPlane.Submission(
            repository: "acme/monorepo", branch: branch, head: sha(head), base: sha("b0"), report: report,
            attestation: try! Attestation.envelope(statement: statement, key: key))
    }

    static func submission(
        branch: String, head: String, files: [String] = ["payments/api.swift", "ledger/book.swift"],
        changedSince: (head: String, files: [String])? = nil
    ) -> String {
        json(submissionValue(branch: branch, head: head, files: files, changedSince: changedSince))
    }

    static func json(_ value: ControlPlane.Submission) -> String {
        var members: [(String, JSONValue)] = [
            ("repository", .string(value.repository)), ("branch", .string(value.branch)), ("head", .string(value.head)),
            ("base", value.base.map(JSONValue.string) ?? .null),
        ]
        if let report = value.report { members.append(("report", report)) }
        if let attestation = value.attestation { members.append(("attestation", attestation)) }
        return JSONValue.object(members).serialized(pretty: false)
    }
}
