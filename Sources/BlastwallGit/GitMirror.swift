import Foundation

/// A bare mirror of a repository (`git clone --mirror`), from which the server reads changes itself.
/// Fetches are bounded in time and in the size the mirror may reach on disk.
public struct GitMirror: Sendable {
    /// Where the mirror is fetched from: a URL or a local path.
    public let source: String
    public let repository: GitRepository
    public let fetchTimeout: Duration
    public let maxBytes: Int

    public init(source: String, directory: String, fetchTimeout: Duration, maxBytes: Int) {
        self.source = source
        self.repository = GitRepository(directory: directory)
        self.fetchTimeout = fetchTimeout
        self.maxBytes = maxBytes
    }

    public var directory: String { repository.directory }

    /// Whether the mirror has `commit`.
    public func contains(_ commit: String) async throws(GitError) -> Bool {
        guard FileManager.default.fileExists(atPath: directory + "/HEAD") else { return false }
        return try await repository.run(["cat-file", "-e", "--end-of-options", commit + "^{commit}"], allowFailure: true).status
    }

    /// Whether `ancestor` is `descendant` or one of its ancestors.
    public func isAncestor(_ ancestor: String, of descendant: String) async throws(GitError) -> Bool {
        try await repository.run(["merge-base", "--is-ancestor", "--end-of-options", ancestor, descendant], allowFailure: true).status
    }

    /// Creates the mirror when missing, then fetches every ref of the source (branches, tags, pull requests).
    public func update() async throws(GitError) {
        if !FileManager.default.fileExists(atPath: directory + "/HEAD") {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw .commandFailed(arguments: ["init"], status: "did not run", message: "cannot create \(directory): \(error)")
            }
            _ = try await repository.run(["init", "--quiet", "--bare"])
            _ = try await repository.run(["remote", "add", "--mirror=fetch", "origin", source])
            // The mirror is read, never worked in: no automatic repacking while a request reads it.
            _ = try await repository.run(["config", "gc.auto", "0"])
        }
        let arguments = ["fetch", "--quiet", "--prune", "--no-write-fetch-head", "origin"]
        let repository = repository
        let outcome = await bounded { () async -> Result<Void, GitError> in
            do throws(GitError) {
                _ = try await repository.run(arguments)
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        switch outcome {
        case .finished(let result):
            try result.get()
            // A fetch quicker than the size watch is measured once it is done.
            guard size() <= maxBytes else { throw .tooLarge(directory: directory, limit: maxBytes) }
            try await followDefaultBranch()
        case .timedOut:
            removePartialPacks()
            throw .timedOut(arguments: arguments, seconds: Int(fetchTimeout.components.seconds))
        case .tooLarge:
            removePartialPacks()
            throw .tooLarge(directory: directory, limit: maxBytes)
        }
    }

    /// `update()`, its failure as a value.
    public func updated() async -> Result<Void, GitError> {
        do {
            try await update()
            return .success(())
        } catch {
            return .failure(error)
        }
    }

    /// Points the mirror's HEAD at the source's default branch, the mainline bases must be on.
    private func followDefaultBranch() async throws(GitError) {
        let listed = try await repository.run(["ls-remote", "--symref", "origin", "HEAD"], allowFailure: true)
        let text = String(decoding: listed.output, as: UTF8.self)
        guard listed.status, let line = text.split(separator: "\n").first(where: { $0.hasPrefix("ref: refs/heads/") }),
            let reference = line.dropFirst("ref: ".count).split(separator: "\t").first
        else { return }
        _ = try await repository.run(["symbolic-ref", "HEAD", String(reference)])
    }

    /// The bytes the mirror takes on disk. Walked with `lstat`, since git renames and removes files while it
    /// fetches (Foundation's directory enumerator crashes when an entry vanishes under it).
    public func size() -> Int {
        var total = 0
        var folders = [directory]
        while let folder = folders.popLast() {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { continue }
            for name in names {
                let path = folder + "/" + name
                var status = stat()
                guard lstat(path, &status) == 0 else { continue }
                switch status.st_mode & S_IFMT {
                case S_IFDIR: folders.append(path)
                case S_IFREG: total += Int(status.st_size)
                default: break
                }
            }
        }
        return total
    }

    enum Bounded: Sendable {
        case finished(Result<Void, GitError>)
        case timedOut
        case tooLarge
    }

    /// Runs `work` while watching the clock and the mirror's size; cancelling it stops git.
    private func bounded(_ work: @escaping @Sendable () async -> Result<Void, GitError>) async -> Bounded {
        let timeout = fetchTimeout
        return await withTaskGroup(of: Bounded.self) { group in
            group.addTask { .finished(await work()) }
            group.addTask {
                let deadline = ContinuousClock.now + timeout
                while ContinuousClock.now < deadline {
                    try? await Task.sleep(for: .milliseconds(200))
                    if Task.isCancelled { return .finished(.success(())) }
                    if size() > maxBytes { return .tooLarge }
                }
                return .timedOut
            }
            let first = await group.next()!
            group.cancelAll()
            return first
        }
    }

    /// A stopped fetch leaves its pack half-written; it is never referenced, so it can go.
    private func removePartialPacks() {
        let packs = directory + "/objects/pack"
        for name in (try? FileManager.default.contentsOfDirectory(atPath: packs)) ?? [] where name.hasPrefix("tmp_") {
            try? FileManager.default.removeItem(atPath: packs + "/" + name)
        }
    }
}
