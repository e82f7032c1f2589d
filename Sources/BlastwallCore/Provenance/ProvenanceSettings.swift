/// How a change's authorship is classified: by whom, and with which tools and models. Ordered from the least
/// to the most machine-made; automation (`bot`) is machine-made but not AI.
public enum ProvenanceKind: String, Sendable, Comparable, CaseIterable, Codable {
    case human
    /// Made by an automation account that is not an AI agent: dependency updates, releases, CI.
    case bot
    case aiAssisted = "ai-assisted"
    case aiAuthored = "ai-authored"

    private var rank: Int {
        switch self {
        case .human: return 0
        case .bot: return 1
        case .aiAssisted: return 2
        case .aiAuthored: return 3
        }
    }

    public static func < (lhs: ProvenanceKind, rhs: ProvenanceKind) -> Bool { lhs.rank < rhs.rank }

    /// Every kind as configuration and policy write it: `human, bot, ai-assisted or ai-authored`.
    public static var spelledOut: String {
        let names = allCases.map(\.rawValue)
        return names.dropLast().joined(separator: ", ") + " or " + names[names.count - 1]
    }
}

/// User extensions to the built-in provenance signals.
public struct ProvenanceSettings: Sendable {
    /// Extra trailer keys (case-insensitive) and the kind a commit carrying one gets; the value names the tool.
    public var trailers: [String: ProvenanceKind]
    /// Author or committer identities (name or email, `*` wildcards) that mark a commit as machine-made.
    public var identities: [IdentityRule]

    public init(trailers: [String: ProvenanceKind] = [:], identities: [IdentityRule] = []) {
        self.trailers = trailers
        self.identities = identities
    }
}

/// An identity pattern such as `*@agents.example.com` and what a commit by it is.
public struct IdentityRule: Sendable {
    public var pattern: WildcardPattern
    public var kind: ProvenanceKind
    public var tool: String?

    public init(pattern: WildcardPattern, kind: ProvenanceKind, tool: String? = nil) {
        self.pattern = pattern
        self.kind = kind
        self.tool = tool
    }
}

/// A whole-string pattern where `*` matches any run of characters and `?` one character (case-insensitive).
public struct WildcardPattern: Sendable, Hashable {
    public let source: String
    private let tokens: [PathPattern.GlobToken]

    public init(_ source: String) {
        self.source = source
        tokens = source.lowercased().utf8.map { byte in
            switch byte {
            case UInt8(ascii: "*"): return .star
            case UInt8(ascii: "?"): return .question
            default: return .character(byte)
            }
        }
    }

    public func matches(_ text: String) -> Bool {
        PathPattern.glob(tokens[...], matches: Array(text.lowercased().utf8)[...])
    }
}
