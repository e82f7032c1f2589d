import BlastwallControlPlane
import BlastwallCore
import Hummingbird

/// An RFC 9457 problem: every error response is `application/problem+json` and names the wrong field.
struct Problem: Error, Sendable {
    var status: HTTPResponse.Status
    var title: String
    var detail: String
    var field: String?

    init(_ status: HTTPResponse.Status, _ detail: String, field: String? = nil) {
        self.status = status
        self.title = status.reasonPhrase
        self.detail = detail
        self.field = field
    }

    var response: Response {
        var members: [(String, JSONValue)] = [
            ("type", .string("about:blank")), ("title", .string(title)), ("status", .int(Int64(status.code))), ("detail", .string(detail)),
        ]
        if let field { members.append(("field", .string(field))) }
        var headers = HTTPFields()
        headers[.contentType] = "application/problem+json"
        return Response(
            status: status, headers: headers,
            body: .init(byteBuffer: ByteBuffer(string: JSONValue.object(members).serialized(pretty: false))))
    }

    static func from(_ error: any Error) -> Problem {
        switch error {
        case let problem as Problem:
            return problem
        case let error as ControlPlaneError:
            switch error {
            case .unauthenticated(let message): return Problem(.unauthorized, message)
            case .forbidden(let message): return Problem(.forbidden, message)
            case .notFound(let message): return Problem(.notFound, message)
            case .conflict(let message): return Problem(.conflict, message)
            case .invalid(let field, let message): return Problem(.unprocessableContent, message, field: field)
            case .storage(let message): return Problem(.serviceUnavailable, "the database is unavailable: \(message)")
            case .notLeader: return Problem(.serviceUnavailable, error.description)
            case .unavailable(let message): return Problem(.serviceUnavailable, message)
            }
        case let error as HTTPError:
            return Problem(error.status, error.body ?? error.status.reasonPhrase)
        default:
            return Problem(.internalServerError, "an unexpected error occurred")
        }
    }
}

/// Turns every error into a problem document, so no route answers with an empty 500.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let problem = Problem.from(error)
            if problem.status == .internalServerError {
                context.logger.error("unhandled error", metadata: ["path": "\(request.uri.path)", "error": "\(String(reflecting: error))"])
            }
            return problem.response
        }
    }
}
