/// What kind of actor an identity is. Only humans can approve.
public enum IdentityKind: String, Sendable, Codable, CaseIterable {
    case human, ai, bot

    /// "an AI identity", "a bot identity", as messages say it.
    public var phrase: String {
        switch self {
        case .human: "a human identity"
        case .ai: "an AI identity"
        case .bot: "a bot identity"
        }
    }
}

/// What an identity may do on the control plane.
public enum Role: String, Sendable, Codable, CaseIterable {
    /// Reads everything.
    case viewer
    /// Reads, submits changes, creates switches.
    case engineer
    /// Also approves, rejects and manages freezes and switches.
    case approver
    /// Everything, including identities.
    case admin
    /// Submits changes and waits on the gate.
    case ci
    /// An AI agent: submits changes and reads.
    case agent
}

/// An identity as the approval rules see it.
public struct Principal: Sendable, Equatable, Codable {
    /// Unique name, such as `dana` or `release-bot`.
    public var name: String
    public var kind: IdentityKind
    public var role: Role
    /// Teams and groups the identity belongs to, such as `@acme/payments` or `senior`.
    public var groups: [String]
    /// Git author and committer emails, so self-approval can be recognised.
    public var emails: [String]
    /// Forge → this identity's login there (`github: dana-gh`), so reviews given on the forge are its reviews.
    public var forgeLogins: [String: String]

    public init(
        name: String, kind: IdentityKind, role: Role, groups: [String] = [], emails: [String] = [], forgeLogins: [String: String] = [:]
    ) {
        self.name = name
        self.kind = kind
        self.role = role
        self.groups = groups
        self.emails = emails
        self.forgeLogins = forgeLogins
    }

    /// Only humans with an approving role count toward requirements.
    public var canCountAsApprover: Bool { kind == .human && (role == .approver || role == .admin) }

    /// The handles that can name this identity in owner and group lists: `@name`, `name`, emails, teams.
    public var handles: Set<String> {
        var handles = Set([name.lowercased(), "@" + name.lowercased()])
        for email in emails { handles.insert(email.lowercased()) }
        for group in groups { handles.insert(group.lowercased()) }
        return handles
    }

    /// Whether an owner entry (a user, team or email) designates this identity.
    public func isNamed(byAnyOf owners: [String]) -> Bool {
        let handles = handles
        return owners.contains { handles.contains($0.lowercased()) }
    }

    /// Whether this identity is the author or a committer of the given commits' identities.
    public func authored(_ identities: [Identity]) -> Bool {
        let emails = Set(emails.map { $0.lowercased() })
        return identities.contains { emails.contains($0.email.lowercased()) || $0.name.lowercased() == name.lowercased() }
    }
}
