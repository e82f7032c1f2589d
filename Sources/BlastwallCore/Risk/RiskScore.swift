/// A 0–100 score where every point comes from a named factor with a reason.
public struct RiskScore: Sendable, Equatable {
    public struct Factor: Sendable, Equatable {
        public var name: String
        public var points: Int
        public var reason: String
    }

    public enum Level: String, Sendable {
        case low, medium, high, critical
    }

    public var factors: [Factor]

    public var score: Int { factors.reduce(0) { $0 + $1.points } }

    public var level: Level {
        switch score {
        case ..<25: return .low
        case ..<50: return .medium
        case ..<75: return .high
        default: return .critical
        }
    }
}

/// The inputs of the risk model, gathered by the analyzer.
public struct RiskInputs: Sendable {
    public var classes: [(name: String, points: Int)]
    public var provenance: ProvenanceKind
    public var blast: BlastRadius
    public var linesChanged: Int
    public var fileCount: Int
    public var unownedFileCount: Int
}

/// Scores a change. Each factor has a ceiling, and the ceilings add up to exactly 100.
public enum RiskModel {
    public static let ceilings: [(name: String, maximum: Int)] = [
        ("change-classes", 35), ("provenance", 15), ("critical-tier", 20), ("blast-breadth", 15), ("size", 10), ("unowned-files", 5),
    ]

    public static func score(_ inputs: RiskInputs) -> RiskScore {
        var factors: [RiskScore.Factor] = []
        func add(_ name: String, _ points: Int, _ reason: String) {
            let ceiling = ceilings.first { $0.name == name }!.maximum
            let capped = min(points, ceiling)
            guard capped > 0 else { return }
            let note = capped < points ? " (capped at \(ceiling))" : ""
            factors.append(.init(name: name, points: capped, reason: reason + note))
        }
        if !inputs.classes.isEmpty {
            let listed = inputs.classes.map { "\($0.name) (\($0.points))" }.joined(separator: ", ")
            add("change-classes", inputs.classes.reduce(0) { $0 + $1.points }, "touches \(listed)")
        }
        switch inputs.provenance {
        case .aiAuthored: add("provenance", 15, "written by an AI agent (ai-authored)")
        case .aiAssisted: add("provenance", 10, "written with AI assistance (ai-assisted)")
        case .bot: add("provenance", 5, "made by an automation account (bot)")
        case .human: break
        }
        let tier = inputs.blast.maxTier
        if tier > 0 {
            let name = inputs.blast.services.first { inputs.blast.tiers[$0] == tier } ?? ""
            let points = [1: 20, 2: 10, 3: 3][tier] ?? 0
            add("critical-tier", points, "reaches tier-\(tier) service '\(name)'")
        }
        let reached = inputs.blast.services.count
        if reached > 1 {
            let dependents = inputs.blast.dependents.count
            add("blast-breadth", (reached - 1) * 3, "reaches \(reached) services (\(dependents) through dependencies)")
        }
        let lines = inputs.linesChanged
        let sizePoints = lines >= 2000 ? 10 : lines >= 500 ? 7 : lines >= 100 ? 4 : lines >= 20 ? 1 : 0
        add("size", sizePoints, "\(lines) lines changed in \(inputs.fileCount) files")
        if inputs.unownedFileCount > 0 {
            add("unowned-files", 5, "\(inputs.unownedFileCount) changed files belong to no service")
        }
        return RiskScore(factors: factors)
    }
}
