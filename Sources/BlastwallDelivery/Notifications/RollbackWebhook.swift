import AsyncHTTPClient
import BlastwallCore
import Crypto
import Foundation
import Logging
import NIOCore

/// Tells a team's webhook that a rollout was rolled back: a JSON body signed with HMAC-SHA256 in
/// `X-Blastwall-Signature: sha256=HEX`, as GitHub signs its webhooks, so receivers can trust it.
public struct RollbackWebhook: Sendable {
    public static let signatureHeader = "X-Blastwall-Signature"

    public let url: String
    let secret: [UInt8]?
    let client: HTTPClient

    public init(url: String, secret: String?, client: HTTPClient = .shared) {
        self.url = url
        self.secret = secret.map { Array($0.utf8) }
        self.client = client
    }

    /// `sha256=` and the hex HMAC of the exact body bytes.
    public static func signature(of body: [UInt8], secret: [UInt8]) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: secret))
        return "sha256=" + code.map { String(format: "%02x", $0) }.joined()
    }

    /// Posts `payload`, trying three times over about three seconds; failures are logged, never thrown,
    /// because a rollback must not wait on a notification.
    public func send(_ payload: JSONValue, logger: Logger) async -> Bool {
        let body = Array(payload.serialized(pretty: false).utf8)
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "blastwall")
        if let secret { request.headers.add(name: Self.signatureHeader, value: Self.signature(of: body, secret: secret)) }
        request.body = .bytes(ByteBuffer(bytes: body))
        for attempt in 1...3 {
            do {
                let response = try await client.execute(request, timeout: .seconds(5))
                if (200..<300).contains(response.status.code) { return true }
                logger.warning(
                    "rollback webhook refused", metadata: ["url": "\(url)", "status": "\(response.status.code)", "attempt": "\(attempt)"])
            } catch {
                logger.warning("rollback webhook unreachable", metadata: ["url": "\(url)", "error": "\(error)", "attempt": "\(attempt)"])
            }
            try? await Task.sleep(for: .milliseconds(500 * attempt))
        }
        return false
    }
}
