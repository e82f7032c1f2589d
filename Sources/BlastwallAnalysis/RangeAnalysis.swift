import BlastwallCore
import BlastwallGit
import CEL

/// Analyses a git range with the policy committed at its base, so that a change cannot relax the policy it
/// is judged by. `blastwall check` runs it on a working copy and `blastwall serve` on its mirrors.
public struct RangeAnalysis: Sendable {
    public let repository: GitRepository

    public init(repository: GitRepository) {
        self.repository = repository
    }

    public struct Outcome: Sendable {
        public var report: GateReport
        /// How the inputs were interpreted: the default base chosen, a policy edit judged by the base's policy.
        public var notes: [String]
        /// The commit whose committed policy judged the range; nil when the override or the fallback did.
        public var policyRevision: String?
    }

    /// Where a range's policy comes from.
    public enum Policy: Sendable {
        /// Always this configuration (`check --config`).
        case given(ChangeAnalyzer)
        /// The configuration committed at the base; `fallback` when the base has none (a repository
        /// adopting Blastwall in this very change).
        case atBase(fallback: @Sendable () -> Result<ChangeAnalyzer, AnalysisError>)
    }

    /// git writes the diff while the policy is read, then each file is analysed as it arrives.
    public func run(_ range: GitRepository.ResolvedRange, policy: Policy, now: Timestamp) async throws(AnalysisError) -> Outcome {
        do {
            let fileBatches = repository.diffFiles(base: range.base, head: range.head)
            let repository = repository
            let commits = Task { () async throws(GitError) -> [Commit] in
                try await repository.commits(base: range.baseIsEmptyTree ? nil : range.base, head: range.head)
            }
            defer { commits.cancel() }
            let (analyzer, source) = try await analyzer(for: range, policy: policy)
            // The commits' provenance is read beside the diff's files.
            async let commitReports = analyzer.commitReports(try await commits.value)
            var files = ChangeAnalyzer.AnalyzedFiles()
            for try await batch in fileBatches {
                for change in batch { analyzer.add(change, to: &files) }
            }
            let report = analyzer.analyze(
                files: files, commits: try await commitReports, base: range.baseIsEmptyTree ? nil : range.base, head: range.head,
                now: now)
            var notes = range.note.map { [$0] } ?? []
            if let source, report.files.contains(where: { source.files.contains($0.change.path) }) {
                notes.append(
                    "this change edits \(source.files.sorted().joined(separator: " and ")); it is judged by the policy as of the "
                        + "base \(source.revision.prefix(12)), since a change cannot relax the policy it is judged by")
            }
            return Outcome(report: report, notes: notes, policyRevision: source?.revision)
        } catch {
            throw .from(error)
        }
    }

    /// Where the policy of a range came from when it was read from the base commit.
    struct PolicySource {
        var revision: String
        /// The configuration file and the codeowners file it names, as paths in the repository.
        var files: Set<String>
    }

    private func analyzer(for range: GitRepository.ResolvedRange, policy: Policy) async throws(AnalysisError)
        -> (ChangeAnalyzer, PolicySource?)
    {
        switch policy {
        case .given(let analyzer):
            return (analyzer, nil)
        case .atBase(let fallback):
            guard !range.baseIsEmptyTree, let loaded = try await ConfigurationFile.load(committedAt: range.base, in: repository) else {
                return (try fallback().get(), nil)
            }
            return (
                ChangeAnalyzer(configuration: loaded.loaded.configuration, configurationWarnings: loaded.loaded.warnings),
                PolicySource(revision: range.base, files: loaded.files)
            )
        }
    }
}

extension ConfigurationFile {
    /// The configuration committed at `revision` under one of the default names, with the codeowners file it
    /// names read from the same commit; nil when the commit has none.
    public static func load(committedAt revision: String, in repository: GitRepository) async throws(AnalysisError)
        -> (loaded: Loaded, files: Set<String>)?
    {
        do {
            // The configuration's possible names and CODEOWNERS's usual places, read together by one git process.
            let candidates = defaultNames + Codeowners.usualPaths
            let texts = try await repository.files(at: revision, paths: candidates)
            guard let found = defaultNames.indices.first(where: { texts[$0] != nil }), let text = texts[found] else { return nil }
            let name = defaultNames[found]
            let displayName = "\(name) (at \(revision.prefix(12)))"
            let parsed = try parse(text: text, displayName: displayName, path: name)
            var files: Set<String> = [name]
            var codeowners: String?
            if let path = parsed.configuration.codeownersPath {
                files.insert(path)
                let relative = path.hasPrefix("/") ? String(path.dropFirst()) : path
                if let usual = candidates.firstIndex(of: relative) {
                    codeowners = texts[usual]
                } else {
                    codeowners = try await repository.file(at: revision, path: path)
                }
            }
            return (try attach(codeowners: codeowners, to: parsed, displayName: displayName), files)
        } catch {
            throw .from(error)
        }
    }
}
