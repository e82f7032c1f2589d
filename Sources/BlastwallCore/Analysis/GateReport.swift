import CEL

/// Everything `blastwall check` found about a change, and its decision. Renderers only format this.
public struct GateReport: Sendable {
    public static let schemaVersion = 1

    public var base: String?
    public var head: String?
    public var evaluatedAt: Timestamp
    public var decision: Decision
    /// Why the decision is what it is: denials, then what review requires.
    public var reasons: [String]
    public var warnings: [String]
    public var requirements: Requirements
    /// For owner requirements: each touched service and who may approve for it.
    public var requiredOwners: [String: [String]]
    public var services: [TouchedService]
    public var blastRadius: BlastRadius
    public var classes: [String]
    public var provenance: Provenance
    public var commits: [CommitReport]
    public var risk: RiskScore
    public var files: [FileReport]
    public var unownedFiles: [String]
    public var matchedRules: [RuleMatch]
    public var activeFreezes: [ActiveFreeze]
    /// Configuration warnings (such as dependency cycles), repeated so CI shows them.
    public var configurationWarnings: [Diagnostic]

    public var linesAdded: Int { files.reduce(0) { $0 + $1.change.linesAdded } }
    public var linesRemoved: Int { files.reduce(0) { $0 + $1.change.linesRemoved } }
}

public struct TouchedService: Sendable, Equatable {
    public var name: String
    public var tier: Int
    public var owners: [String]
    public var fileCount: Int
}

public struct CommitReport: Sendable {
    public var commit: Commit
    public var provenance: Provenance
}

/// A changed file with what the analysis found about it.
public struct FileReport: Sendable {
    public var change: FileChange
    public var service: String?
    public var owners: [String]
    public var classes: [String]
    /// Added lines that matched a class's content pattern.
    public var findings: [Finding]
}

/// One content match: which class, on which line of the new file.
public struct Finding: Sendable, Equatable {
    public var className: String
    public var line: Int
    public var pattern: String
}

public struct RuleMatch: Sendable {
    public var name: String
    public var require: Requirements?
    public var warn: String?
    public var deny: String?
    public var location: SourceLocation?
    /// Set when the condition could not be evaluated; the gate then fails closed.
    public var error: String?
}

public struct ActiveFreeze: Sendable {
    public var name: String
    public var until: Timestamp
    public var reason: String
    public var override: Requirements
}
