import BlastwallAnalysis
import BlastwallAudit
import BlastwallCore
import BlastwallReporting
import BlastwallStorage
import CEL

/// A report the server produced, rendered for people: Markdown, and its findings placed on lines.
public struct RenderedReport: Sendable {
    public var markdown: String
    public var annotations: [ForgeAnnotation]
}

extension ControlPlane {
    /// The report a change is judged by, and who produced it.
    struct Evidence: Sendable {
        var report: JSONValue
        var analysis: ChangeRecord.Analysis
        /// Paths changed since the previous head; nil when unknown (every approval is then dismissed).
        var changedFiles: [String]?
        /// The report rendered for people, when the server analysed the range itself.
        var rendered: RenderedReport? = nil
    }

    /// Commit ids are passed to git, so only full hexadecimal object names are taken.
    static func validateCommit(_ value: String, field: String) throws(ControlPlaneError) {
        let isHex = value.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
        guard isHex, value.utf8.count == 40 || value.utf8.count == 64 else {
            throw .invalid(
                field: field, message: "must be a full commit id (40 or 64 lowercase hexadecimal digits), not '\(value.prefix(80))'")
        }
    }

    /// The report the gate of a submission is computed from. With a mirror of the repository the server
    /// analyses the range itself; without one it takes only a report signed by a `ci` identity's key. A
    /// report the client sent besides is compared, and refused when it disagrees.
    func evidence(for submission: Submission, previousHead: String?, by actor: Principal) async throws(ControlPlaneError) -> Evidence {
        let evidence: Evidence
        if let mirrors, mirrors.mirrors(submission.repository) {
            evidence = try await analyse(submission, previousHead: previousHead, mirrors: mirrors, by: actor)
        } else if let attestation = submission.attestation {
            evidence = try await attested(attestation, submission: submission, previousHead: previousHead, by: actor)
        } else {
            throw try await refuse(
                submission, by: actor, reason: "unverified report",
                .invalid(
                    field: "attestation",
                    message: "this server keeps no mirror of repository '\(submission.repository)', so it cannot analyse the range "
                        + "itself, and the report is not signed; start the server with --repository \(submission.repository)=URL, or "
                        + "submit from CI with a ci identity's key (blastwall check --submit --sign KEY)"))
        }
        if let claimed = submission.report {
            let differences = ReportComparison.differences(claimed: claimed, analysed: evidence.report)
            if !differences.isEmpty {
                throw try await refuse(
                    submission, by: actor, reason: "report mismatch", details: differences,
                    .invalid(
                        field: "report",
                        message: "does not match \(evidence.analysis == .server ? "the server's analysis" : "the signed report"): "
                            + differences.joined(separator: "; ")))
            }
        }
        return evidence
    }

    private func analyse(_ submission: Submission, previousHead: String?, mirrors: RepositoryMirrors, by actor: Principal)
        async throws(ControlPlaneError) -> Evidence
    {
        guard let base = submission.base else {
            throw .invalid(field: "base", message: "is required: the server analyses base..head of its mirror of \(submission.repository)")
        }
        try Self.validateCommit(base, field: "base")
        guard let now = Timestamp(rfc3339: now()) else { throw .storage("the clock gave an unreadable time") }
        do {
            let analysis = try await mirrors.analyse(
                repository: submission.repository, base: base, head: submission.head, previousHead: previousHead, fallback: analyzer,
                now: now, baseBranch: submission.baseBranch)
            return Evidence(
                report: analysis.json, analysis: .server, changedFiles: analysis.changedSincePrevious,
                rendered: RenderedReport(
                    markdown: MarkdownReport.render(analysis.outcome.report), annotations: ForgeAnnotations.render(analysis.outcome.report))
            )
        } catch {
            switch AnalysisError.from(error) {
            case .configuration(let problem):
                throw .invalid(field: "base", message: "the policy committed at the base does not load: \(problem.description)")
            case .mirror(_, let field, let reason): throw .invalid(field: field, message: reason)
            case .git(let problem): throw .unavailable("repository '\(submission.repository)' cannot be read: \(problem.description)")
            case .file(_, let reason): throw .unavailable("repository '\(submission.repository)' cannot be read: \(reason)")
            }
        }
    }

    private func attested(_ envelope: JSONValue, submission: Submission, previousHead: String?, by actor: Principal)
        async throws(ControlPlaneError) -> Evidence
    {
        if actor.kind == .ai || actor.role == .agent {
            throw try await refuse(
                submission, by: actor, reason: "client-attested report from an AI identity",
                .forbidden(
                    "\(actor.name) is an AI or agent identity and cannot submit client-attested reports; the server must analyse "
                        + "its changes itself (start it with --repository \(submission.repository)=URL)"))
        }
        let keys = attestationKeys.withLock { $0 }
        var verified: (signer: String, statement: JSONValue)?
        for (name, key) in keys {
            if case .success(let result) = Attestation.verify(envelope: envelope, key: key) {
                verified = (name, result.statement)
                break
            }
        }
        guard let verified else {
            throw try await refuse(
                submission, by: actor, reason: "attestation not signed by a ci key",
                .invalid(field: "attestation", message: "is not signed by the key of any active ci identity"))
        }
        let statement = verified.statement
        let subject = statement["subject"]?.arrayValue?.first
        let report = statement["predicate"]?["report"]
        var problems: [String] = []
        if statement["predicateType"]?.stringValue != Attestation.reportPredicateType {
            problems.append("its predicate type is not \(Attestation.reportPredicateType)")
        }
        if subject?["digest"]?["gitCommit"]?.stringValue != submission.head { problems.append("it attests another commit") }
        if subject?["name"]?.stringValue != submission.repository { problems.append("it attests another repository") }
        if let base = submission.base, report?["base"]?.stringValue != base { problems.append("its report has another base") }
        guard problems.isEmpty, let report else {
            throw try await refuse(
                submission, by: actor, reason: "attestation does not match the submission", details: problems,
                .invalid(field: "attestation", message: "does not match the submission: " + problems.joined(separator: "; ")))
        }
        var changed: [String]?
        if let since = statement["predicate"]?["changed_since"], let previousHead, since["head"]?.stringValue == previousHead {
            changed = since["files"]?.arrayValue?.compactMap(\.stringValue)
        }
        return Evidence(report: report, analysis: .clientAttested(by: verified.signer), changedFiles: changed)
    }

    /// Records a refused submission in the audit log, then returns the error to throw.
    private func refuse(
        _ submission: Submission, by actor: Principal, reason: String, details: [String] = [], _ error: ControlPlaneError
    ) async throws(ControlPlaneError) -> ControlPlaneError {
        let time = now()
        let payload = JSONValue.object([
            ("repository", .string(submission.repository)), ("branch", .string(submission.branch)), ("head", .string(submission.head)),
            ("reason", .string(reason)), ("details", .array(details.map(JSONValue.string))),
        ])
        _ = try await write { transaction in
            try await AuditLog.append(
                transaction, time: time, actor: actor.name, action: "change.refused",
                subject: "repository/\(submission.repository)", payload: payload)
        }
        logger.warning(
            "submission refused", metadata: ["actor": "\(actor.name)", "repository": "\(submission.repository)", "reason": "\(reason)"])
        return error
    }
}
