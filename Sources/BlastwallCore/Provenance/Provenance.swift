/// Who or what wrote a commit or a change, and the evidence for it.
public struct Provenance: Sendable, Equatable {
    public var kind: ProvenanceKind
    /// AI tools and bots named by the signals, lowercased and sorted.
    public var tools: [String]
    /// Models named by the signals, as written.
    public var models: [String]
    /// The trailers or identities that decided the kind, as they appear in the commit.
    public var signals: [String]

    public init(kind: ProvenanceKind = .human, tools: [String] = [], models: [String] = [], signals: [String] = []) {
        self.kind = kind
        self.tools = tools
        self.models = models
        self.signals = signals
    }

    /// The provenance of several commits: the most machine-made kind, and every tool and model.
    public static func combining(_ parts: [Provenance]) -> Provenance {
        Provenance(
            kind: parts.map(\.kind).max() ?? .human,
            tools: Array(Set(parts.flatMap(\.tools))).sorted(),
            models: Array(Set(parts.flatMap(\.models))).sorted(),
            signals: parts.flatMap(\.signals))
    }
}
