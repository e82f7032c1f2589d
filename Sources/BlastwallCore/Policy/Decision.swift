/// The gate's verdict on a change.
public enum Decision: String, Sendable, Codable {
    /// Nothing more is needed.
    case allow
    /// The change may ship once the requirements are met.
    case review
    /// The change may not ship as it is.
    case deny
}
