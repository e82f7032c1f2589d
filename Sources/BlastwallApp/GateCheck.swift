import BlastwallCore
import BlastwallGit
import CEL

/// `blastwall check`: reads a change (git range or diff file), loads the policy, and analyses it.
public struct GateCheck: Sendable {
    public struct Options: Sendable {
        public var repository: String
        public var base: String?
        public var head: String?
        /// A unified diff file, or `-` for standard input; replaces the git range.
        public var diffPath: String?
        public var configPath: String?
        public var now: String?

        public init(
            repository: String = ".", base: String? = nil, head: String? = nil, diffPath: String? = nil, configPath: String? = nil,
            now: String? = nil
        ) {
            self.repository = repository
            self.base = base
            self.head = head
            self.diffPath = diffPath
            self.configPath = configPath
            self.now = now
        }
    }

    public let options: Options

    public init(_ options: Options) {
        self.options = options
    }

    public struct Outcome: Sendable {
        public var report: GateReport
        /// Notes about how the inputs were interpreted (for example, which default base was used).
        public var notes: [String]
    }

    public func run() async throws(BlastwallError) -> Outcome {
        let now = try Clock.now(override: options.now)
        if let diffPath = options.diffPath {
            let bytes = try FileSystem.readBytes(diffPath)
            let files = try parseDiff(bytes, source: diffPath == "-" ? "standard input" : diffPath)
            // A `git format-patch` series also names its commits, and so its provenance.
            let commits = PatchSeries.commits(in: bytes)
            let analyzer = try loadAnalyzer()
            return Outcome(report: analyzer.analyze(ChangeSet(files: files, commits: commits), now: now), notes: [])
        }
        return try await runOnRange(now: now)
    }

    private func loadAnalyzer() throws(BlastwallError) -> ChangeAnalyzer {
        let loaded = try ConfigurationFile.load(path: options.configPath, directory: options.repository)
        return ChangeAnalyzer(configuration: loaded.configuration, configurationWarnings: loaded.warnings)
    }

    /// Where the policy of a range came from when it was read from the base commit.
    struct PolicySource {
        var revision: String
        /// The configuration file and the codeowners file it names, as paths in the repository.
        var files: Set<String>
    }

    /// The configuration the range is judged by: `--config` when given; otherwise the one committed at the
    /// base, so that a change cannot relax its own policy; the working tree's when the base has none (a
    /// repository adopting Blastwall in this very change).
    private func loadPolicy(for range: GitRepository.ResolvedRange, in repository: GitRepository) async throws(BlastwallError)
        -> (ChangeAnalyzer, PolicySource?)
    {
        guard options.configPath == nil, !range.baseIsEmptyTree else { return (try loadAnalyzer(), nil) }
        for name in ConfigurationFile.defaultNames {
            let text: String?
            do { text = try await repository.file(at: range.base, path: name) } catch { throw .from(error) }
            guard let text else { continue }
            // The codeowners file it names is read from the same commit.
            let displayName = "\(name) (at \(range.base.prefix(12)))"
            let parsed = try ConfigurationFile.parse(text: text, displayName: displayName, path: name)
            var files: Set<String> = [name]
            var codeowners: String?
            if let path = parsed.configuration.codeownersPath {
                files.insert(path)
                do { codeowners = try await repository.file(at: range.base, path: path) } catch { throw .from(error) }
            }
            let loaded = try ConfigurationFile.attach(codeowners: codeowners, to: parsed, displayName: displayName)
            return (
                ChangeAnalyzer(configuration: loaded.configuration, configurationWarnings: loaded.warnings),
                PolicySource(revision: range.base, files: files)
            )
        }
        return (try loadAnalyzer(), nil)
    }

    /// git writes the diff while this process parses the configuration, then each file is analysed as it arrives.
    private func runOnRange(now: Timestamp) async throws(BlastwallError) -> Outcome {
        let repository = GitRepository(directory: options.repository)
        do {
            let range = try await repository.resolveRange(base: options.base, head: options.head)
            let fileBatches = repository.diffFiles(base: range.base, head: range.head)
            async let commits = repository.commits(base: range.baseIsEmptyTree ? nil : range.base, head: range.head)
            let (analyzer, policySource) = try await loadPolicy(for: range, in: repository)
            var files: [ChangeAnalyzer.AnalyzedFile] = []
            for try await batch in fileBatches {
                files.append(contentsOf: batch.map(analyzer.analyzeFile))
            }
            let report = analyzer.analyze(
                files: files, commits: try await commits, base: range.baseIsEmptyTree ? nil : range.base, head: range.head, now: now)
            var notes = range.note.map { [$0] } ?? []
            if let policySource, report.files.contains(where: { policySource.files.contains($0.change.path) }) {
                notes.append(
                    "this change edits \(policySource.files.sorted().joined(separator: " and ")); it is judged by the policy as of the "
                        + "base \(policySource.revision.prefix(12)), since a change cannot relax the policy it is judged by")
            }
            return Outcome(report: report, notes: notes)
        } catch {
            throw .from(error)
        }
    }

    private func parseDiff(_ bytes: [UInt8], source: String) throws(BlastwallError) -> [FileChange] {
        let files: [FileChange]
        do {
            files = try UnifiedDiffParser.parse(bytes)
        } catch {
            throw .diff(error, source: source)
        }
        if files.isEmpty, bytes.contains(where: { $0 != 0x20 && $0 != 0x0A }) {
            throw .input("\(source) contains no file changes; expected a unified diff (git diff, git format-patch, diff -u)")
        }
        return files
    }
}
