import BlastwallCore
import BlastwallGit

/// Why a range could not be analysed, with what to do about it.
public enum AnalysisError: Error, Sendable, CustomStringConvertible {
    case configuration(ConfigurationError)
    case git(GitError)
    case file(path: String, reason: String)
    /// A repository the server keeps no mirror of, or whose mirror cannot serve the range; `field` names the
    /// part of the submission at fault (`repository`, `base` or `head`).
    case mirror(repository: String, field: String, reason: String)

    public var description: String {
        switch self {
        case .configuration(let error): return error.description
        case .git(let error): return "error: \(error)"
        case .file(let path, let reason): return "error: \(path): \(reason)"
        case .mirror(let repository, _, let reason): return "error: repository '\(repository)': \(reason)"
        }
    }

    public static func from(_ error: any Error) -> AnalysisError {
        switch error {
        case let error as AnalysisError: return error
        case let error as GitError: return .git(error)
        case let error as ConfigurationError: return .configuration(error)
        default: return .file(path: "", reason: "\(error)")
        }
    }
}
