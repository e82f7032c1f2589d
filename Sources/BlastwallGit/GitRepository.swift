import BlastwallCore
import Foundation
import Subprocess

#if canImport(System)
    import System
#else
    import SystemPackage
#endif

/// Reads changes from a git repository by running the `git` command.
public struct GitRepository: Sendable {
    public let directory: String

    /// Output larger than this is refused rather than exhausting memory.
    static let outputLimit = 4 << 30

    /// git, found on PATH once. Naming it instead makes every run try each PATH entry in a child process of its
    /// own, which cost more than git itself on a small change.
    static let git: Executable = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") where !directory.isEmpty {
            let candidate = "\(directory)/git"
            if FileManager.default.isExecutableFile(atPath: candidate) { return .path(FilePath(candidate)) }
        }
        return .name("git")
    }()

    public init(directory: String) {
        self.directory = directory
    }

    /// Runs git with settings that make its output stable whatever the user's configuration.
    func run(_ arguments: [String], input: [UInt8] = [], allowFailure: Bool = false) async throws(GitError) -> (
        status: Bool, output: [UInt8], error: String
    ) {
        do {
            // Without input, standard input is closed rather than a pipe that nothing writes to.
            let result = input.isEmpty ? try await launch(arguments, input: .none) : try await launch(arguments, input: .array(input))
            let success = result.status.isSuccess
            if !success && !allowFailure {
                if result.error.contains("not a git repository") { throw GitError.notARepository(directory) }
                throw GitError.commandFailed(arguments: arguments, status: "\(result.status)", message: result.error)
            }
            return (success, result.output, result.error)
        } catch let error as GitError {
            throw error
        } catch {
            if "\(error)".contains("executable") || "\(error)".contains("No such file") { throw GitError.gitNotFound }
            throw GitError.commandFailed(arguments: arguments, status: "did not run", message: "\(error)")
        }
    }

    private func launch(_ arguments: [String], input: some InputProtocol) async throws -> (
        status: TerminationStatus, output: [UInt8], error: String
    ) {
        let fixed = ["-c", "core.quotePath=false", "-c", "color.ui=false", "-c", "log.showSignature=false"]
        let result = try await Subprocess.run(
            Self.git, arguments: Arguments(fixed + arguments), environment: .inherit.updating(["GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"]),
            workingDirectory: FilePath(directory), input: input, output: .bytes(limit: Self.outputLimit), error: .string(limit: 64 << 10))
        return (result.terminationStatus, result.standardOutput, result.standardError)
    }

    private func text(_ arguments: [String]) async throws(GitError) -> String {
        let result = try await run(arguments)
        return String(decoding: result.output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The text of `path` as committed at `revision`, or nil when the path is not there.
    public func file(at revision: String, path: String) async throws(GitError) -> String? {
        let result = try await run(["show", "--end-of-options", "\(revision):\(path)"], allowFailure: true)
        guard result.status else { return nil }
        return String(decoding: result.output, as: UTF8.self)
    }

    /// The full object name of a revision.
    public func resolve(_ revision: String) async throws(GitError) -> String {
        let result = try await run(["rev-parse", "--verify", "--quiet", "--end-of-options", revision + "^{commit}"], allowFailure: true)
        guard result.status else {
            _ = try await run(["rev-parse", "--git-dir"])
            throw GitError.unknownRevision(revision)
        }
        return String(decoding: result.output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The branch changes are merged into: origin's HEAD, else `main`, `master` or `trunk`.
    public func defaultBranch() async throws(GitError) -> String {
        let originHead = try await run(["symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD"], allowFailure: true)
        if originHead.status {
            return String(decoding: originHead.output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        for candidate in ["main", "master", "trunk", "origin/main", "origin/master"] {
            if try await run(["rev-parse", "--verify", "--quiet", candidate + "^{commit}"], allowFailure: true).status {
                return candidate
            }
        }
        throw GitError.noDefaultBranch
    }

    public func mergeBase(_ a: String, _ b: String) async throws(GitError) -> String? {
        let result = try await run(["merge-base", a, b], allowFailure: true)
        guard result.status else { return nil }
        return String(decoding: result.output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The tree a root commit is compared against.
    func emptyTree() async throws(GitError) -> String {
        try await text(["hash-object", "-t", "tree", "/dev/null"])
    }

    func parent(of commit: String) async throws(GitError) -> String? {
        let result = try await run(["rev-parse", "--verify", "--quiet", commit + "^1"], allowFailure: true)
        return result.status ? String(decoding: result.output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : nil
    }

    static func diffArguments(base: String, head: String) -> [String] {
        [
            "diff", "--no-color", "--no-ext-diff", "--no-textconv", "--find-renames", "--unified=0",
            "--src-prefix=a/", "--dst-prefix=b/", "--ignore-submodules=none", base, head, "--",
        ]
    }

    /// The files of a range's diff, parsed while git writes it and delivered in batches as each completes.
    /// git starts at once; the stream finishes with an error if git fails or its output cannot be parsed.
    public func diffFiles(base: String, head: String) -> AsyncThrowingStream<[FileChange], any Error> {
        let arguments = ["-c", "core.quotePath=false", "-c", "color.ui=false"] + Self.diffArguments(base: base, head: head)
        let directory = directory
        return AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    let result = try await Subprocess.run(
                        Self.git, arguments: Arguments(arguments),
                        environment: .inherit.updating(["GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"]),
                        workingDirectory: FilePath(directory), input: .none, output: .sequence, error: .string(limit: 64 << 10)
                    ) { execution in
                        var parser = UnifiedDiffParser()
                        for try await chunk in execution.standardOutput {
                            try chunk.withUnsafeBytes { (bytes) throws(DiffParseError) in try parser.feed(bytes) }
                            let files = parser.takeCompletedFiles()
                            if !files.isEmpty { continuation.yield(files) }
                        }
                        let rest = try parser.finish()
                        if !rest.isEmpty { continuation.yield(rest) }
                    }
                    guard result.terminationStatus.isSuccess else {
                        let message = result.standardError
                        if message.contains("not a git repository") { throw GitError.notARepository(directory) }
                        throw GitError.commandFailed(
                            arguments: ["diff", base, head], status: "\(result.terminationStatus)", message: message)
                    }
                    continuation.finish()
                } catch let error as DiffParseError {
                    continuation.finish(
                        throwing: GitError.commandFailed(arguments: ["diff"], status: "unreadable output", message: error.description))
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// Commits reachable from `head` but not `base`, oldest first.
    public func commits(base: String?, head: String) async throws(GitError) -> [Commit] {
        let range = base.map { "\($0)..\(head)" } ?? head
        let format = "--format=%H%x1f%an%x1f%ae%x1f%cn%x1f%ce%x1f%aI%x1f%B"
        let output = try await run(["log", "--reverse", "-z", "--no-color", format, range, "--"]).output
        return output.split(separator: 0).compactMap { record in
            let fields = record.split(separator: 0x1F, maxSplits: 6, omittingEmptySubsequences: false).map {
                String(decoding: $0, as: UTF8.self)
            }
            guard fields.count == 7 else { return nil }
            return Commit(
                sha: fields[0].trimmingCharacters(in: .whitespacesAndNewlines),
                author: Identity(name: fields[1], email: fields[2]),
                committer: Identity(name: fields[3], email: fields[4]),
                message: fields[6], authoredAt: fields[5].isEmpty ? nil : fields[5])
        }
    }
}

extension GitRepository {
    /// Runs any git command in the repository (used to build sample and test repositories); returns standard output.
    @discardableResult
    public func execute(_ arguments: [String], environment: [String: String] = [:]) async throws(GitError) -> String {
        do {
            var updates: [Environment.Key: String?] = [:]
            for (key, value) in environment { updates[Environment.Key(stringLiteral: key)] = value }
            let result = try await Subprocess.run(
                Self.git, arguments: Arguments(arguments), environment: .inherit.updating(updates),
                workingDirectory: FilePath(directory), output: .string(limit: 16 << 20), error: .string(limit: 64 << 10))
            guard result.terminationStatus.isSuccess else {
                throw GitError.commandFailed(arguments: arguments, status: "\(result.terminationStatus)", message: result.standardError)
            }
            return result.standardOutput
        } catch let error as GitError {
            throw error
        } catch {
            throw GitError.commandFailed(arguments: arguments, status: "did not run", message: "\(error)")
        }
    }
}
