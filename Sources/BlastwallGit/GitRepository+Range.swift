import BlastwallCore

extension GitRepository {
    /// A resolved range, and a note when the defaults had to be interpreted.
    public struct ResolvedRange: Sendable {
        public var base: String
        public var head: String
        /// The base is a tree (the empty tree) rather than a commit: the head is a root commit.
        public var baseIsEmptyTree: Bool
        public var note: String?
    }

    /// Resolves `--base`/`--head`. Defaults: head is `HEAD`; base is the merge-base with the default branch,
    /// or, when the head is already on the default branch, the head's parent (so the last commit is checked).
    public func resolveRange(base: String?, head: String?) async throws(GitError) -> ResolvedRange {
        let headSHA = try await resolve(head ?? "HEAD")
        if let base {
            return ResolvedRange(base: try await resolve(base), head: headSHA, baseIsEmptyTree: false, note: nil)
        }
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

    /// Reads the files and commits of a range; diff and log run concurrently.
    public func changeSet(_ range: ResolvedRange) async throws(GitError) -> ChangeSet {
        do {
            async let diffBytes = diff(base: range.base, head: range.head)
            async let commitList = commits(base: range.baseIsEmptyTree ? nil : range.base, head: range.head)
            let files: [FileChange]
            do {
                files = try UnifiedDiffParser.parse(try await diffBytes)
            } catch let error as DiffParseError {
                throw GitError.commandFailed(arguments: ["diff"], status: "unreadable output", message: error.description)
            }
            return ChangeSet(files: files, commits: try await commitList, base: range.baseIsEmptyTree ? nil : range.base, head: range.head)
        } catch let error as GitError {
            throw error
        } catch {
            throw GitError.commandFailed(arguments: ["diff"], status: "failed", message: "\(error)")
        }
    }
}
