import BlastwallControlPlane
import BlastwallCore
import Hummingbird

/// One API route: what it needs and what it does. Registration wraps every handler with authentication
/// and the permission check, so no route can forget them.
public struct RouteSpec: Sendable {
    public enum Access: Sendable, Equatable {
        /// No token needed (health, metrics, the OpenAPI document).
        case open
        /// A valid token with this permission.
        case permission(Permission)
        /// Open or with `read`, as the server is configured (kill-switch reads).
        case switchRead
    }

    public var method: HTTPRequest.Method
    /// A Hummingbird path pattern, such as `/api/v1/switches/:name`.
    public var path: String
    public var access: Access
    var handler: @Sendable (Request, BlastwallRequestContext, Principal?) async throws -> Response
}

extension RouteSpec {
    /// The principal a bearer token names, or a 401 problem.
    static func authenticate(_ request: Request, _ controlPlane: ControlPlaneHandle) throws -> Principal {
        guard let header = request.headers[.authorization] else {
            throw Problem(
                .unauthorized, "this route needs a token: send 'Authorization: Bearer TOKEN' (blastwall --token or BLASTWALL_TOKEN)")
        }
        guard header.lowercased().hasPrefix("bearer ") else {
            throw Problem(.unauthorized, "the Authorization header must be 'Bearer TOKEN'")
        }
        return try controlPlane.value.authenticate(token: String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces))
    }
}

/// A sendable box for the control plane, captured by route closures.
struct ControlPlaneHandle: Sendable {
    let value: ControlPlane
}
