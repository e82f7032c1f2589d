/// Why a call to a forge's API failed, with what to do about it.
public enum ForgeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The forge refused the credentials (401, or 403 without a rate limit).
    case unauthorized(String)
    /// No such repository, pull request, review or team — or the credentials may not see it.
    case notFound(String)
    /// The forge answered with another error status.
    case rejected(status: Int, message: String)
    /// The forge could not be reached, did not answer in time, or limits the rate: worth retrying later.
    case unavailable(String)
    /// The answer is not what the forge's documentation describes.
    case malformed(String)
    /// The server has no credentials for this forge's API.
    case notConfigured(String)

    public var description: String {
        switch self {
        case .unauthorized(let message), .notFound(let message), .unavailable(let message), .malformed(let message),
            .notConfigured(let message):
            message
        case .rejected(let status, let message): "the forge answered \(status): \(message)"
        }
    }

    /// Whether trying again later may succeed.
    public var isTransient: Bool {
        switch self {
        case .unavailable: true
        case .rejected(let status, _): status >= 500 || status == 429
        default: false
        }
    }
}
