import BlastwallAudit
import BlastwallCore
import Crypto

/// Bearer tokens: random, shown once, stored only as SHA-256 hashes, compared in constant time.
public enum Tokens {
    /// A new token: `bw_` and 32 random bytes in URL-safe base64.
    public static func issue() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let encoded = Base64.encode(bytes).replacing("+", with: "-").replacing("/", with: "_").replacing("=", with: "")
        return "bw_" + encoded
    }

    public static func hash(_ token: String) -> String {
        Hex.encode(SHA256.hash(data: Array(token.utf8)))
    }

    /// Equality whose running time does not depend on where the inputs differ.
    public static func constantTimeEqual(_ a: String, _ b: String) -> Bool { ConstantTime.equal(a, b) }
}
