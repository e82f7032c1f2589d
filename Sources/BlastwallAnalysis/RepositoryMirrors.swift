import BlastwallCore
import BlastwallGit
import BlastwallReporting
import CEL
import Logging

/// The repositories `blastwall serve --repository NAME=URL_OR_PATH` analyses itself, each kept as a bare
/// mirror under one folder and fetched on demand: when a submission names a commit the mirror lacks.
public actor RepositoryMirrors {
    public struct Limits: Sendable {
        /// How long one fetch may take before it is stopped.
        public var fetchTimeout: Swift.Duration
        /// How large one mirror may grow on disk.
        public var maxBytes: Int

        public init(fetchTimeout: Swift.Duration = .seconds(120), maxBytes: Int = 2 << 30) {
            self.fetchTimeout = fetchTimeout
            self.maxBytes = maxBytes
        }
    }

    /// Repository name → its mirror.
    nonisolated let mirrors: [String: GitMirror]
    private let logger: Logger
    /// Fetches under way, so concurrent submissions of one repository wait for the same fetch.
    private var fetches: [String: Task<Result<Void, GitError>, Never>] = [:]

    /// `sources` maps each repository's name (as submissions name it) to its URL or path.
    public init(sources: [String: String], directory: String, limits: Limits = Limits(), logger: Logger) {
        mirrors = sources.reduce(into: [:]) { mirrors, entry in
            mirrors[entry.key] = GitMirror(
                source: entry.value, directory: LocalFiles.join(directory, Self.folderName(entry.key)), fetchTimeout: limits.fetchTimeout,
                maxBytes: limits.maxBytes)
        }
        self.logger = logger
    }

    /// The repositories mirrored, by name.
    public nonisolated var names: [String] { mirrors.keys.sorted() }

    public nonisolated func mirrors(_ repository: String) -> Bool { mirrors[repository] != nil }

    /// A folder name for a repository name such as `acme/payments`: letters, digits, `.`, `-`, `_` are kept,
    /// every other byte is written as `+XX`, so distinct names never share a folder. (Not `%XX`: Foundation's
    /// file manager on Linux crashes on a path with percent escapes.)
    static func folderName(_ name: String) -> String {
        var folder = ""
        for byte in name.utf8 {
            let scalar = Unicode.Scalar(byte)
            if byte < 0x80,
                scalar.properties.isAlphabetic || ("0"..."9").contains(Character(scalar)) || "-_.".unicodeScalars.contains(scalar),
                !(folder.isEmpty && byte == UInt8(ascii: "."))
            {
                folder.unicodeScalars.append(scalar)
            } else {
                folder += "+" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return folder + ".git"
    }

    /// What the server read of a submitted range.
    public struct Analysis: Sendable {
        public var outcome: RangeAnalysis.Outcome
        /// Paths changed since `previousHead`; nil when there was no previous head or the mirror lacks it.
        public var changedSincePrevious: [String]?

        /// The report as `blastwall check --format json` writes it.
        public var json: JSONValue { JSONReport.render(outcome.report) }
    }

    /// Analyses `base..head` of `repository` from its mirror, by the policy committed at `base` (`fallback`
    /// when the base has none). The base must be on the mirror's default branch, so that a submitter cannot
    /// choose a base that hides part of the change. Throws `AnalysisError`; declared untyped because Swift
    /// 6.3 miscompiles a typed-throws async actor method that awaits across a fetch (it resumes a null frame).
    ///
    /// With `baseBranch` (a pull request's target, which the server chose the base for itself), the base must
    /// be on that branch instead.
    public func analyse(
        repository name: String, base: String, head: String, previousHead: String?, fallback: ChangeAnalyzer, now: Timestamp,
        baseBranch: String? = nil
    ) async throws -> Analysis {
        let mainline = baseBranch.map { "refs/heads/" + $0 } ?? "HEAD"
        let mainlineName = baseBranch.map { "branch \($0)" } ?? "the default branch"
        guard let mirror = mirrors[name] else {
            throw AnalysisError.mirror(
                repository: name, field: "repository", reason: "this server keeps no mirror of it (start it with --repository \(name)=URL)")
        }
        do {
            var present = try await mirror.contains(base)
            if present { present = try await mirror.contains(head) }
            if present { present = try await mirror.isAncestor(base, of: mainline) }
            if !present, case .failure(let error) = await fetch(name, mirror) { throw error }
            for (field, commit) in [("base", base), ("head", head)] where try await !mirror.contains(commit) {
                throw AnalysisError.mirror(
                    repository: name, field: field,
                    reason: "\(field) \(commit) is not in \(mirror.source) (push it first, or check the commit id)")
            }
            guard try await mirror.isAncestor(base, of: mainline) else {
                throw AnalysisError.mirror(
                    repository: name, field: "base",
                    reason: "base \(base) is not on \(mainlineName); the base must be where the change branches off it "
                        + "(git merge-base origin/HEAD HEAD), so that the whole change is analysed")
            }
            guard try await mirror.isAncestor(base, of: head) else {
                throw AnalysisError.mirror(repository: name, field: "base", reason: "base \(base) is not an ancestor of head \(head)")
            }
            let range = GitRepository.ResolvedRange(base: base, head: head, baseIsEmptyTree: false, note: nil)
            let outcome = try await RangeAnalysis(repository: mirror.repository).run(
                range, policy: .atBase(fallback: { .success(fallback) }), now: now)
            var changed: [String]?
            if let previousHead, previousHead != head { changed = try await mirror.repository.changedPaths(from: previousHead, to: head) }
            return Analysis(outcome: outcome, changedSincePrevious: changed)
        } catch {
            throw AnalysisError.from(error)
        }
    }

    /// Where a pull request's `head` branches off `branch`, after fetching the newest of both.
    /// Throws `AnalysisError` (untyped for the reason `analyse` gives).
    public func mergeBase(repository name: String, branch: String, head: String) async throws -> String {
        guard let mirror = mirrors[name] else {
            throw AnalysisError.mirror(
                repository: name, field: "repository", reason: "this server keeps no mirror of it (start it with --repository \(name)=URL)")
        }
        do {
            let branchRef = "refs/heads/" + branch
            // Fetched every time: the base branch may have moved since, and the head is read against its newest tip.
            if case .failure(let error) = await fetch(name, mirror) { throw error }
            guard try await mirror.contains(head) else {
                throw AnalysisError.mirror(
                    repository: name, field: "head", reason: "head \(head) is not in \(mirror.source) (nor its pull request refs)")
            }
            guard try await mirror.contains(branchRef), let base = try await mirror.repository.mergeBase(branchRef, head) else {
                throw AnalysisError.mirror(
                    repository: name, field: "base", reason: "head \(head) shares no history with branch \(branch) of \(mirror.source)")
            }
            return base
        } catch {
            throw AnalysisError.from(error)
        }
    }

    /// Paths changed from `from` to `to`; nil when the mirror lacks `from` (a force-push dropped it).
    public func changedPaths(repository name: String, from: String, to: String) async throws -> [String]? {
        guard let mirror = mirrors[name] else { return nil }
        do {
            guard try await mirror.contains(from), try await mirror.contains(to) else { return nil }
            return try await mirror.repository.changedPaths(from: from, to: to)
        } catch {
            throw AnalysisError.from(error)
        }
    }

    /// One fetch per repository at a time; callers that arrive during a fetch share its result.
    private func fetch(_ name: String, _ mirror: GitMirror) async -> Result<Void, GitError> {
        if let running = fetches[name] { return await running.value }
        let logger = logger
        // Detached: git runs off the actor, which stays free to answer other repositories.
        let task = Task.detached { () -> Result<Void, GitError> in
            let started = ContinuousClock.now
            let result = await mirror.updated()
            switch result {
            case .success:
                logger.info("mirror fetched", metadata: ["repository": "\(name)", "duration": "\(ContinuousClock.now - started)"])
            case .failure(let error):
                logger.warning("mirror fetch failed", metadata: ["repository": "\(name)", "error": "\(error)"])
            }
            return result
        }
        fetches[name] = task
        let result = await task.value
        fetches[name] = nil
        return result
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
