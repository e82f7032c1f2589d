import AsyncHTTPClient
import BlastwallControlPlane
import Hummingbird

/// Rollout commands work on any server: one that does not lead sends the request on to the leader, with the
/// caller's token, and answers with the leader's response. A request forwarded once is not forwarded again,
/// so a leader that names an address which is not its own gets a 503 rather than a loop.
enum LeaderForwarding {
    static let header = HTTPFields.Element.Name("Blastwall-Forwarded")!

    /// The response of `handler`, or of the leader when this server does not lead.
    static func orForward(_ request: Request, _ handler: () async throws -> Response) async throws -> Response {
        do {
            return try await handler()
        } catch ControlPlaneError.notLeader(let leader?) where request.headers[header] == nil {
            return try await forward(request, to: leader)
        }
    }

    /// Rollout commands carry no body: the method, the path and the token are the whole request.
    private static func forward(_ request: Request, to leader: String) async throws -> Response {
        var outgoing = HTTPClientRequest(url: leader + request.uri.path)
        outgoing.method = .init(rawValue: request.method.rawValue)
        if let authorization = request.headers[.authorization] { outgoing.headers.add(name: "Authorization", value: authorization) }
        outgoing.headers.add(name: header.rawName, value: "1")
        do {
            let reply = try await HTTPClient.shared.execute(outgoing, timeout: .seconds(10))
            let body = try await reply.body.collect(upTo: 1 << 20)
            var headers = HTTPFields()
            if let type = reply.headers.first(name: "Content-Type") { headers[.contentType] = type }
            return Response(status: .init(code: Int(reply.status.code)), headers: headers, body: .init(byteBuffer: body))
        } catch {
            throw Problem(
                .serviceUnavailable,
                "the blastwall server at \(leader) runs the rollouts of this database but did not answer (\(error)): retry, or send the command to it"
            )
        }
    }
}
