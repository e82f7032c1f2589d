import BlastwallAnalysis
import BlastwallCore
import BlastwallGit
import BlastwallTestSupport
import CEL
import Foundation
import Testing

/// The server's own analysis of a range, from its mirror of the repository.
@Suite struct MirrorAnalysisTests {
    @Test func aRangeIsAnalysedFromTheMirrorByTheBasePolicy() async throws {
        let source = try await SourceRepository()
        let base = try await source.commit(["blastwall.yml": Reports.configurationYAML, "payments/api.swift": "a\n"], on: "main")
        let head = try await source.commit(["payments/api.swift": "b\n"], on: "feature")
        let mirrors = RepositoryMirrors(sources: ["acme/monorepo": source.url], directory: source.mirrors, logger: TestDatabases.logger)
        let analysis = try await mirrors.analyse(
            repository: "acme/monorepo", base: base, head: head, previousHead: nil,
            fallback: ChangeAnalyzer(configuration: Configuration()),
            now: Timestamp(rfc3339: "2026-11-23T12:00:00Z")!)
        #expect(analysis.outcome.report.services.map(\.name) == ["payments"])
        #expect(analysis.outcome.policyRevision == base)
    }
}
