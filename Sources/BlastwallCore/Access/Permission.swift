/// What a request asks to do; each route needs one permission.
public enum Permission: String, Sendable, CaseIterable {
    case read
    case submitChange = "submit-change"
    case review
    case manageFreezes = "manage-freezes"
    case createSwitch = "create-switch"
    case flipSwitch = "flip-switch"
    case manageIdentities = "manage-identities"
    case signAudit = "sign-audit"
    /// Start, pause, resume, promote, abort and undo rollouts, and run drills.
    case rollout
    /// Push request and error counts for a rollout's analysis.
    case pushObservations = "push-observations"
    /// Declare, resolve and confirm incidents.
    case manageIncidents = "manage-incidents"
}

extension Role {
    /// The permissions each role has. Kind matters separately: AI and bot identities never count as
    /// approvers, and are refused when they try to review, whatever their role.
    public var permissions: Set<Permission> {
        switch self {
        case .viewer: return [.read]
        case .engineer: return [.read, .submitChange, .createSwitch, .flipSwitch, .rollout, .pushObservations, .manageIncidents]
        case .approver:
            return [
                .read, .submitChange, .review, .manageFreezes, .createSwitch, .flipSwitch, .rollout, .pushObservations, .manageIncidents,
            ]
        case .admin: return Set(Permission.allCases)
        case .ci: return [.read, .submitChange, .rollout, .pushObservations, .manageIncidents]
        case .agent: return [.read, .submitChange]
        }
    }

    public func allows(_ permission: Permission) -> Bool { permissions.contains(permission) }
}

extension Principal {
    /// Whether this identity may do `permission`: its role allows it, and identities are managed by humans only,
    /// so that an AI agent or a bot can never mint an approver whose approvals count.
    public func allows(_ permission: Permission) -> Bool {
        guard role.allows(permission) else { return false }
        return permission != .manageIdentities || kind == .human
    }

    /// Why `actor` may not create `identity`, or nil when it may.
    public static func refusal(creating identity: Principal, by actor: Principal) -> String? {
        if identity.role == .admin, identity.kind != .human {
            return "an identity of kind \(identity.kind.rawValue) cannot hold the admin role; only humans administer Blastwall"
        }
        if !actor.allows(.manageIdentities) {
            return actor.kind == .human
                ? "\(actor.name) has role \(actor.role.rawValue), which may not \(Permission.manageIdentities.rawValue)"
                : "\(actor.name) is of kind \(actor.kind.rawValue); only human admins create or change identities"
        }
        return nil
    }
}
