/// How a change's authorship is classified: by whom, and with which tools and models.
public enum ProvenanceKind: String, Sendable, Comparable, CaseIterable, Codable {
    case human
    case aiAssisted = "ai-assisted"
    case aiAuthored = "ai-authored"

    private var rank: Int {
        switch self {
        case .human: return 0
        case .aiAssisted: return 1
        case .aiAuthored: return 2
        }
    }

    public static func < (lhs: ProvenanceKind, rhs: ProvenanceKind) -> Bool { lhs.rank < rhs.rank }
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
