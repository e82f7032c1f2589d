import BlastwallCore

extension GitRepository {
    /// A resolved range, and a note when the defaults had to be interpreted.
    public struct ResolvedRange: Sendable {
        public var base: String
        public var head: String
        /// The base is a tree (the empty tree) rather than a commit: the head is a root commit.
        public var baseIsEmptyTree: Bool
        public var note: String?

        public init(base: String, head: String, baseIsEmptyTree: Bool, note: String?) {
            self.base = base
            self.head = head
            self.baseIsEmptyTree = baseIsEmptyTree
            self.note = note
        }
    }

    /// Resolves `--base`/`--head`. Defaults: head is `HEAD`; base is the merge-base with the default branch,
    /// or, when the head is already on the default branch, the head's parent (so the last commit is checked).
    public func resolveRange(base: String?, head: String?) async throws(GitError) -> ResolvedRange {
        if let base {
            // Both in one git process; when either is not a commit, one at a time for the error that says which.
            let commits = try await objects([(head ?? "HEAD") + "^{commit}", base + "^{commit}"])
            if let head = commits[0], let base = commits[1] {
                return ResolvedRange(base: base.id, head: head.id, baseIsEmptyTree: false, note: nil)
            }
            let headSHA = try await resolve(head ?? "HEAD")
            return ResolvedRange(base: try await resolve(base), head: headSHA, baseIsEmptyTree: false, note: nil)
        }
        let headSHA = try await resolve(head ?? "HEAD")
        let branch = try await defaultBranch()
        if let mergeBase = try await mergeBase(branch, headSHA), mergeBase != headSHA {
            return ResolvedRange(base: mergeBase, head: headSHA, baseIsEmptyTree: false, note: nil)
        }
        if let parent = try await parent(of: headSHA) {
            return ResolvedRange(
                base: parent, head: headSHA, baseIsEmptyTree: false,
                note: "the head is on the default branch '\(branch)'; checking its last commit (pass --base to choose a range)")
        }
        return ResolvedRange(
            base: try await emptyTree(), head: headSHA, baseIsEmptyTree: true,
            note: "the head is a root commit; checking everything it adds")
    }
}

extension GitRepository {
    /// The checked-out branch, or nil on a detached head.
    public func currentBranch() async throws(GitError) -> String? {
        let result = try await run(["symbolic-ref", "--quiet", "--short", "HEAD"], allowFailure: true)
        guard result.status else { return nil }
        return String(decoding: result.output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The URL of `origin`, or nil when there is none.
    public func originURL() async throws(GitError) -> String? {
        let result = try await run(["remote", "get-url", "origin"], allowFailure: true)
        guard result.status else { return nil }
        return String(decoding: result.output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Paths changed between two commits (both sides of renames), or nil when `from` is not in this clone.
    public func changedPaths(from: String, to: String) async throws(GitError) -> [String]? {
        guard try await run(["cat-file", "-e", from + "^{commit}"], allowFailure: true).status else { return nil }
        let output = try await run(["diff", "--name-only", "--no-renames", "-z", from, to, "--"]).output
        return output.split(separator: 0).map { GitPathQuoting.displayString($0) }
    }
}
