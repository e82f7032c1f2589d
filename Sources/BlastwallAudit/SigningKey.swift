import BlastwallCore
import Crypto

/// An Ed25519 key for signing checkpoints and attestations, read from and written to PEM
/// (PKCS #8 for the private key, as `openssl genpkey -algorithm ed25519` writes it; SPKI for the public key).
public struct SigningKey: Sendable {
    public let privateKey: Curve25519.Signing.PrivateKey

    // The fixed DER prefixes of an Ed25519 PKCS #8 private key and SPKI public key (RFC 8410).
    private static let privatePrefix: [UInt8] = [
        0x30, 0x2E, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
    ]
    static let publicPrefix: [UInt8] = [0x30, 0x2A, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x03, 0x21, 0x00]

    public init() {
        privateKey = Curve25519.Signing.PrivateKey()
    }

    public init(pem: String) throws(KeyError) {
        let der = try Self.derBytes(pem, label: "PRIVATE KEY")
        guard der.count == Self.privatePrefix.count + 32, Array(der.prefix(Self.privatePrefix.count)) == Self.privatePrefix else {
            throw KeyError(
                "not an Ed25519 private key (PKCS #8); create one with 'blastwall keygen' or 'openssl genpkey -algorithm ed25519'")
        }
        do {
            privateKey = try Curve25519.Signing.PrivateKey(rawRepresentation: der.suffix(32))
        } catch {
            throw KeyError("the Ed25519 private key is invalid: \(error)")
        }
    }

    public var pem: String {
        Self.pem(Self.privatePrefix + Array(privateKey.rawRepresentation), label: "PRIVATE KEY")
    }

    public var publicKeyPEM: String { verificationKey.pem }

    /// A short identifier of the public key: the first 16 hex digits of its SHA-256.
    public var keyID: String { verificationKey.keyID }

    /// The public half, which verifies what this key signed.
    public var verificationKey: VerificationKey { VerificationKey(privateKey.publicKey) }

    public func sign(_ bytes: [UInt8]) throws(KeyError) -> [UInt8] {
        do {
            return Array(try privateKey.signature(for: bytes))
        } catch {
            throw KeyError("signing failed: \(error)")
        }
    }

    static func derBytes(_ pem: String, label: String) throws(KeyError) -> [UInt8] {
        let begin = "-----BEGIN \(label)-----"
        let end = "-----END \(label)-----"
        guard let start = pem.firstRange(of: begin), let stop = pem.firstRange(of: end), start.upperBound <= stop.lowerBound else {
            throw KeyError("expected a PEM block '\(begin)'")
        }
        guard let der = Base64.decode(String(pem[start.upperBound..<stop.lowerBound])) else {
            throw KeyError("the PEM block is not valid base64")
        }
        return der
    }

    static func pem(_ der: [UInt8], label: String) -> String {
        let body = Base64.encode(der)
        var lines: [String] = []
        var index = body.startIndex
        while index < body.endIndex {
            let next = body.index(index, offsetBy: 64, limitedBy: body.endIndex) ?? body.endIndex
            lines.append(String(body[index..<next]))
            index = next
        }
        return "-----BEGIN \(label)-----\n" + lines.joined(separator: "\n") + "\n-----END \(label)-----\n"
    }
}

/// An Ed25519 public key that verifies signatures.
public struct VerificationKey: Sendable {
    public let publicKey: Curve25519.Signing.PublicKey

    public init(_ publicKey: Curve25519.Signing.PublicKey) {
        self.publicKey = publicKey
    }

    /// Reads an SPKI public key PEM, or derives the public key from a private key PEM.
    public init(pem: String) throws(KeyError) {
        if pem.contains("PRIVATE KEY") {
            self.init(try SigningKey(pem: pem).privateKey.publicKey)
            return
        }
        let der = try SigningKey.derBytes(pem, label: "PUBLIC KEY")
        guard der.count == 44, der.prefix(12).elementsEqual([0x30, 0x2A, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x03, 0x21, 0x00]) else {
            throw KeyError("not an Ed25519 public key (SPKI)")
        }
        let key: Curve25519.Signing.PublicKey
        do {
            key = try Curve25519.Signing.PublicKey(rawRepresentation: der.suffix(32))
        } catch {
            throw KeyError("the Ed25519 public key is invalid: \(error)")
        }
        self.init(key)
    }

    public var keyID: String { String(Hex.encode(SHA256.hash(data: publicKey.rawRepresentation)).prefix(16)) }

    /// The SPKI PEM of the key.
    public var pem: String { SigningKey.pem(SigningKey.publicPrefix + Array(publicKey.rawRepresentation), label: "PUBLIC KEY") }

    public func isValid(_ signature: [UInt8], for bytes: [UInt8]) -> Bool {
        publicKey.isValidSignature(signature, for: bytes)
    }
}

/// A key that cannot be read or used, and why.
public struct KeyError: Error, Sendable, CustomStringConvertible {
    public var description: String

    init(_ description: String) {
        self.description = description
    }
}
