import BlastwallControlPlane
import BlastwallCore
import BlastwallReporting
import CEL

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

    static func report(
        files: [String], author: Identity = Identity(name: "Sam", email: "sam@acme.example"), now: String = "2026-11-23T12:00:00Z"
    ) -> JSONValue {
        let commit = Commit(sha: "c1", author: author, committer: author, message: "Change\n")
        let changeSet = ChangeSet(
            files: files.map { FileChange(path: $0, status: .modified, linesAdded: 1) }, commits: [commit], base: "b0", head: "h1")
        return JSONReport.render(ChangeAnalyzer(configuration: configuration).analyze(changeSet, now: Timestamp(rfc3339: now)!))
    }

    static func submissionValue(
        branch: String, head: String, files: [String] = ["payments/api.swift", "ledger/book.swift"], changedFiles: [String]? = nil,
        now: String = "2026-11-23T12:00:00Z"
    ) -> ControlPlane.Submission {
        ControlPlane.Submission(
            repository: "acme/monorepo", branch: branch, head: head, base: "b0", report: report(files: files, now: now),
            changedFiles: changedFiles)
    }

    static func submission(
        branch: String, head: String, files: [String] = ["payments/api.swift", "ledger/book.swift"], changedFiles: [String]? = nil
    ) -> String {
        let value = submissionValue(branch: branch, head: head, files: files, changedFiles: changedFiles)
        var members: [(String, JSONValue)] = [
            ("repository", .string(value.repository)), ("branch", .string(branch)), ("head", .string(head)), ("base", .string("b0")),
            ("report", value.report),
        ]
        if let changedFiles { members.append(("changed_files", .array(changedFiles.map(JSONValue.string)))) }
        return JSONValue.object(members).serialized(pretty: false)
    }
}
