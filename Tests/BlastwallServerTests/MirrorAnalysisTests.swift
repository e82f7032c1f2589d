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

extension MirrorAnalysisTests {
    static func analyse(_ mirrors: RepositoryMirrors, base: String, head: String) async throws -> RepositoryMirrors.Analysis {
        try await mirrors.analyse(
            repository: "acme/monorepo", base: base, head: head, previousHead: nil,
            fallback: ChangeAnalyzer(configuration: Configuration()),
            now: Timestamp(rfc3339: "2026-11-23T12:00:00Z")!)
    }

    @Test func aMirrorCannotGrowPastItsLimit() async throws {
        let source = try await SourceRepository()
        let base = try await source.commit(
            ["blastwall.yml": Reports.configurationYAML, "big.txt": String(repeating: "x1y2z3\n", count: 50_000)], on: "main")
        let mirrors = RepositoryMirrors(
            sources: ["acme/monorepo": source.url], directory: source.mirrors, limits: .init(maxBytes: 16 << 10),
            logger: TestDatabases.logger)
        await #expect {
            try await Self.analyse(mirrors, base: base, head: base)
        } throws: { error in
            guard case .git(.tooLarge) = error as? AnalysisError else { return false }
            return "\(error)".contains("raise --mirror-max-size")
        }
    }

    /// A source that accepts the connection and never answers: the fetch is stopped at its deadline.
    @Test func aFetchThatHangsIsStoppedAtItsDeadline() async throws {
        let source = try await SourceRepository()
        let listener = try BackgroundProcess(
            "python3",
            [
                "-c",
                "import socket,time\ns=socket.socket()\ns.bind(('127.0.0.1',0))\ns.listen()\nopen('port','w').write(str(s.getsockname()[1]))\ntime.sleep(120)",
            ],
            directory: source.folder)
        defer { listener.stop() }
        let portFile = source.folder + "/port"
        var port: String?
        for _ in 0..<50 where port == nil {
            try await Task.sleep(for: .milliseconds(100))
            port = try? String(contentsOfFile: portFile, encoding: .utf8)
        }
        let mirrors = RepositoryMirrors(
            sources: ["acme/monorepo": "http://127.0.0.1:\(try #require(port))/repo.git"], directory: source.mirrors,
            limits: .init(fetchTimeout: .seconds(1)), logger: TestDatabases.logger)
        let started = ContinuousClock.now
        await #expect {
            try await Self.analyse(mirrors, base: String(repeating: "a", count: 40), head: String(repeating: "b", count: 40))
        } throws: { error in
            guard case .git(.timedOut) = error as? AnalysisError else { return false }
            return true
        }
        // The silent server holds the connection for 120 s: well before that, git was stopped.
        #expect(ContinuousClock.now - started < .seconds(60), "stopped after \(ContinuousClock.now - started)")
    }
}
