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

        public init(repository: String = ".", base: String? = nil, head: String? = nil, diffPath: String? = nil, configPath: String? = nil, now: String? = nil) {
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
        let loaded = try ConfigurationFile.load(path: options.configPath, directory: options.repository)
        let (changeSet, notes) = try await readChange()
        let now = try Clock.now(override: options.now)
        let analyzer = ChangeAnalyzer(configuration: loaded.configuration, configurationWarnings: loaded.warnings)
        return Outcome(report: analyzer.analyze(changeSet, now: now), notes: notes)
    }

    /// The change to analyse, from `--diff` or from git.
    func readChange() async throws(BlastwallError) -> (ChangeSet, [String]) {
        if let diffPath = options.diffPath {
            let bytes = try FileSystem.readBytes(diffPath)
            do {
                let files = try UnifiedDiffParser.parse(bytes)
                if files.isEmpty, bytes.contains(where: { $0 != 0x20 && $0 != 0x0A }) {
                    throw BlastwallError.input("\(diffPath == "-" ? "standard input" : diffPath) contains no file changes; expected a unified diff (git diff, diff -u)")
                }
                return (ChangeSet(files: files), [])
            } catch let error as DiffParseError {
                throw .diff(error, source: diffPath == "-" ? "standard input" : diffPath)
            } catch let error as BlastwallError {
                throw error
            } catch {
                throw .input("\(error)")
            }
        }
        let repository = GitRepository(directory: options.repository)
        do {
            let range = try await repository.resolveRange(base: options.base, head: options.head)
            return (try await repository.changeSet(range), range.note.map { [$0] } ?? [])
        } catch {
            throw .git(error)
        }
    }
}
