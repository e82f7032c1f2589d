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
    /// Something the operation needs elsewhere (a repository to fetch) cannot be reached now; retrying may work.
    case unavailable(String)
    /// Only the rollout leader does this, and this server is not it: `leader` is the leader's URL, nil while
    /// an election is under way.
    case notLeader(leader: String?)

    public var description: String {
        switch self {
        case .unauthenticated(let message), .forbidden(let message), .notFound(let message), .conflict(let message), .storage(let message),
            .unavailable(let message):
            return message
        case .notLeader(let leader?):
            return "the blastwall server at \(leader) runs the rollouts of this database: send rollout commands to it"
        case .notLeader(nil):
            return "no blastwall server runs the rollouts of this database at the moment (an election is under way): retry in a few seconds"
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
