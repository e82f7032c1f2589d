/// A git operation that failed, with what to do about it.
public enum GitError: Error, Sendable, Equatable, CustomStringConvertible {
    case gitNotFound
    case notARepository(String)
    case unknownRevision(String)
    case noDefaultBranch
    case commandFailed(arguments: [String], status: String, message: String)

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
        }
    }
}
