import BlastwallAudit
import Crypto

/// HMAC-SHA256 signatures of deliveries, compared without leaking where they differ.
enum WebhookSignature {
    static func hexHMAC(_ body: [UInt8], secret: [UInt8]) -> String {
        Hex.encode(Array(HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: secret))))
    }

}
