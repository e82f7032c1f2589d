import BlastwallStorage

/// Why a control-plane operation was refused. The HTTP layer maps each case to a status and a problem document.
public enum ControlPlaneError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No token, or a token that is unknown or revoked.
    case unauthenticated(String)
    /// The identity may not do this.
    case forbidden(String)
    case notFound(String)
    case conflict(String)
    /// A field of the request is wrong.
    case invalid(field: String, message: String)
    case storage(String)
    /// Another instance does this (the rollout leader); try again there or once leadership moves here.
    case unavailable(String)

    public var description: String {
        switch self {
        case .unauthenticated(let message), .forbidden(let message), .notFound(let message), .conflict(let message), .storage(let message),
            .unavailable(let message):
            return message
        case .invalid(let field, let message): return "\(field): \(message)"
        }
    }

    static func from(_ error: any Error) -> ControlPlaneError {
        switch error {
        case let error as ControlPlaneError: return error
        case StorageError.conflict(let message): return .conflict(message)
        default: return .storage("\(error)")
        }
    }
}
