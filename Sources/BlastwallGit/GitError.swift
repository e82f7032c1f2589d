/// A git operation that failed, with what to do about it.
public enum GitError: Error, Sendable, Equatable, CustomStringConvertible {
    case gitNotFound
    case notARepository(String)
    case unknownRevision(String)
    case noDefaultBranch
    case commandFailed(arguments: [String], status: String, message: String)
    case timedOut(arguments: [String], seconds: Int)
    /// A mirror grew past its size limit while fetching; the fetch was stopped.
    case tooLarge(directory: String, limit: Int)

    public var description: String {
        switch self {
        case .gitNotFound:
            return "git was not found on PATH; install git, or pass a unified diff with --diff FILE"
        case .notARepository(let path):
            return "'\(path)' is not inside a git repository; pass --repo PATH, or check a diff with --diff FILE"
        case .unknownRevision(let revision):
            return "unknown revision '\(revision)'; fetch it first (in CI: actions/checkout with fetch-depth: 0) or pass --base/--head"
        case .noDefaultBranch:
            return "could not find the default branch (no origin/HEAD, main or master); pass --base REV"
        case .commandFailed(let arguments, let status, let message):
            let trimmed = message.split(separator: "\n").prefix(5).joined(separator: "\n")
            return "git \(arguments.joined(separator: " ")) failed (\(status)): \(trimmed)"
        case .timedOut(let arguments, let seconds):
            return "git \(arguments.joined(separator: " ")) did not finish within \(seconds) s and was stopped"
        case .tooLarge(let directory, let limit):
            return
                "the mirror \(directory) would grow past its limit of \(limit >> 20) MiB; the fetch was stopped (raise --mirror-max-size)"
        }
    }
}
