import BlastwallAudit
import BlastwallClient
import BlastwallCore
import BlastwallGit
import BlastwallReporting
import Foundation

/// `blastwall check --submit`: sends the analysis of the head to the control plane, with the files changed
/// since the head it last saw, so it can keep approvals whose services did not change.
public enum ChangeSubmission {
    public struct Result: Sendable {
        public var changeID: Int64
        public var view: JSONValue
    }

    /// Sends the range and the report. A server with a mirror of the repository analyses the range itself and
    /// only compares the report; for one without, `signingKey` (a `ci` identity's registered key) signs the
    /// report, with the files changed since the head the server last saw, so it can keep approvals whose
    /// services did not change.
    public static func submit(
        _ report: GateReport, repository directory: String, name: String?, branch: String?, signingKeyPath: String?,
        client: APIClient
    ) async throws(BlastwallError) -> Result {
        guard let head = report.head else {
            throw .input("--submit needs a git range (the server binds approvals to the head commit), not --diff")
        }
        let signingKey = try signingKeyPath.map { (path) throws(BlastwallError) in try AuditFiles.signingKey(path) }
        let git = GitRepository(directory: directory)
        let repositoryName: String
        let branchName: String
        do {
            if let name {
                repositoryName = name
            } else {
                repositoryName = try await defaultRepositoryName(git, directory: directory)
            }
            var resolved = branch ?? ProcessInfo.processInfo.environment["GITHUB_HEAD_REF"].flatMap { $0.isEmpty ? nil : $0 }
            if resolved == nil { resolved = try await git.currentBranch() }
            guard let resolved else { throw BlastwallError.input("cannot tell the branch (detached HEAD); pass --branch NAME") }
            branchName = resolved
        } catch {
            throw .from(error)
        }
        do {
            let rendered = JSONReport.render(report)
            var body: [(String, JSONValue)] = [
                ("repository", .string(repositoryName)), ("branch", .string(branchName)), ("head", .string(head)),
                ("base", report.base.map(JSONValue.string) ?? .null), ("report", rendered),
            ]
            if let signingKey {
                let query = "/api/v1/changes?limit=1&repository=\(APIClient.escape(repositoryName))&branch=\(APIClient.escape(branchName))"
                let existing = try await client.get(query)["items"]?.arrayValue?.first
                var changedSince: (head: String, files: [String])?
                if let previousHead = existing?["head"]?.stringValue, previousHead != head,
                    let files = try await git.changedPaths(from: previousHead, to: head)
                {
                    changedSince = (previousHead, files)
                }
                let statement = Attestation.reportStatement(repository: repositoryName, report: rendered, changedSince: changedSince)
                body.append(("attestation", try Attestation.envelope(statement: statement, key: signingKey)))
            }
            let view = try await client.post("/api/v1/changes", .object(body))
            guard case .int(let id)? = view["id"] else { throw BlastwallError.input("the server did not return a change id") }
            return Result(changeID: id, view: view)
        } catch {
            throw .from(error)
        }
    }

    /// `owner/name` from origin's URL, or else the directory's name.
    static func defaultRepositoryName(_ git: GitRepository, directory: String) async throws -> String {
        if let url = try await git.originURL() {
            var trimmed = Substring(url)
            if trimmed.hasSuffix(".git") { trimmed = trimmed.dropLast(4) }
            let parts = trimmed.split(whereSeparator: { $0 == "/" || $0 == ":" })
            if parts.count >= 2 { return parts.suffix(2).joined(separator: "/") }
        }
        let absolute = URL(fileURLWithPath: directory).standardizedFileURL
        return absolute.lastPathComponent
    }
}
