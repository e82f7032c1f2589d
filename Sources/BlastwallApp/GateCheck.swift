import BlastwallAnalysis
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
            // A series may touch a file in several patches; the change is the series as a whole.
            let files = PatchSeries.combined(try parseDiff(bytes, source: diffPath == "-" ? "standard input" : diffPath))
            // A `git format-patch` series also names its commits, and so its provenance.
            let commits = PatchSeries.commits(in: bytes)
            let analyzer = try loadAnalyzer()
            return Outcome(report: analyzer.analyze(ChangeSet(files: files, commits: commits), now: now), notes: [])
        }
        return try await runOnRange(now: now)
    }

    private func loadAnalyzer() throws(BlastwallError) -> ChangeAnalyzer {
        let loaded = try ConfigurationFile.loadForCommand(path: options.configPath, directory: options.repository)
        return ChangeAnalyzer(configuration: loaded.configuration, configurationWarnings: loaded.warnings)
    }

    /// The configuration the range is judged by: `--config` when given; otherwise the one committed at the
    /// base; the working tree's when the base has none.
    private func runOnRange(now: Timestamp) async throws(BlastwallError) -> Outcome {
        let repository = GitRepository(directory: options.repository)
        let range: GitRepository.ResolvedRange
        do {
            range = try await repository.resolveRange(base: options.base, head: options.head)
        } catch {
            throw .from(error)
        }
        let policy: RangeAnalysis.Policy
        if options.configPath != nil {
            policy = .given(try loadAnalyzer())
        } else {
            let directory = options.repository
            policy = .atBase {
                Result { () throws(AnalysisError) in try ConfigurationFile.load(path: nil, directory: directory) }.map {
                    ChangeAnalyzer(configuration: $0.configuration, configurationWarnings: $0.warnings)
                }
            }
        }
        do {
            let outcome = try await RangeAnalysis(repository: repository).run(range, policy: policy, now: now)
            return Outcome(report: outcome.report, notes: outcome.notes)
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
