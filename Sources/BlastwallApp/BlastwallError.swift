import BlastwallAnalysis
import BlastwallClient
import BlastwallCore
import BlastwallGit
import BlastwallStorage
import CEL

/// Any failure that stops a command before it reaches a decision; each maps to exit status 2.
public enum BlastwallError: Error, Sendable, CustomStringConvertible {
    case configuration(ConfigurationError)
    case git(GitError)
    case diff(DiffParseError, source: String)
    case file(path: String, reason: String)
    case expression(Program.CompileError, source: String)
    case evaluation(EvalError)
    case input(String)

    public var description: String {
        switch self {
        case .configuration(let error): return error.description
        case .git(let error): return "error: \(error)"
        case .diff(let error, let source): return "error: \(source): \(error)"
        case .file(let path, let reason): return "error: \(path): \(reason)"
        case .expression(let error, let source):
            return error.problems.map { problem in
                let caret = String(repeating: " ", count: max(0, problem.position.column - 1)) + "^"
                let line = source.split(separator: "\n", omittingEmptySubsequences: false)
                let text = problem.position.line - 1 < line.count ? String(line[problem.position.line - 1]) : source
                return "error: \(problem.position): \(problem.message)\n  \(text)\n  \(caret)"
            }.joined(separator: "\n")
        case .evaluation(let error): return "error: \(error)"
        case .input(let message): return "error: \(message)"
        }
    }
}

extension BlastwallError {
    /// The error a command reports for a failure from any layer.
    public static func from(_ error: any Error) -> BlastwallError {
        switch error {
        case let error as BlastwallError: return error
        case let error as AnalysisError:
            switch error {
            case .configuration(let error): return .configuration(error)
            case .git(let error): return .git(error)
            case .file(let path, let reason): return .file(path: path, reason: reason)
            case .mirror: return .input(error.description.replacing("error: ", with: "", maxReplacements: 1))
            }
        case let error as GitError: return .git(error)
        case let error as ConfigurationError: return .configuration(error)
        case let error as StorageError: return .input(error.description)
        case let error as APIClient.Failure: return .input(error.description)
        default: return .input("\(error)")
        }
    }
}
