/// A person or bot as git records them.
public struct Identity: Sendable, Hashable, Codable {
    public var name: String
    public var email: String

    public init(name: String, email: String) {
        self.name = name
        self.email = email
    }
}

/// One commit of a change, with the full message (where trailers live).
public struct Commit: Sendable, Equatable {
    public var sha: String
    public var author: Identity
    public var committer: Identity
    public var message: String
    /// When it was authored (RFC 3339, as git records it); the start of its change's lead time.
    public var authoredAt: String?

    public init(sha: String, author: Identity, committer: Identity, message: String, authoredAt: String? = nil) {
        self.sha = sha
        self.author = author
        self.committer = committer
        self.message = message
        self.authoredAt = authoredAt
    }

    /// The people its `Co-authored-by:` trailers name.
    public var coAuthors: [Identity] {
        Trailers.everywhere(message).filter { $0.key.lowercased() == "co-authored-by" }.map { trailer in
            let value = trailer.value
            if let open = value.firstIndex(of: "<"), let close = value.lastIndex(of: ">"), open < close {
                return Identity(name: String(value[..<open]).trimmingWhitespace(), email: String(value[value.index(after: open)..<close]))
            }
            return Identity(name: value.trimmingWhitespace(), email: "")
        }
    }
}

/// The raw material of an analysis: the files a range changes and the commits in it.
public struct ChangeSet: Sendable, Equatable {
    public var files: [FileChange]
    /// Oldest first; empty when the change came from a bare diff.
    public var commits: [Commit]
    public var base: String?
    public var head: String?

    public init(files: [FileChange], commits: [Commit] = [], base: String? = nil, head: String? = nil) {
        self.files = files
        self.commits = commits
        self.base = base
        self.head = head
    }
}
