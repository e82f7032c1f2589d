import CEL

/// Builds the values `when` conditions read — `change`, `blast`, `risk`, `now` — from an analysis.
public enum PolicyInput {
    /// `fileValues` are `value(of:)` of each of `files`, when made beforehand (while the diff was still read).
    public static func activation(
        files: [FileReport], fileValues: [Value]? = nil, commits: [CommitReport], provenance: Provenance, classes: [String],
        services: [String], unownedFiles: [String], blast: BlastRadius, risk: RiskScore, now: Timestamp
    ) -> Activation {
        let fileValues = fileValues ?? files.map(value(of:))
        let commitValues: [Value] = commits.map { commit in
            .record([
                "sha": .string(commit.commit.sha),
                "author": person(commit.commit.author),
                "committer": person(commit.commit.committer),
                "message": .string(commit.commit.message),
                "provenance": value(commit.provenance),
            ])
        }
        var committers: [Identity] = []
        for commit in commits where !committers.contains(commit.commit.committer) { committers.append(commit.commit.committer) }
        let author = commits.first.map { person($0.commit.author) } ?? person(Identity(name: "", email: ""))
        let change: Value = .record([
            "author": author,
            "committers": .list(committers.map(person)),
            "files": .list(fileValues),
            "classes": .list(classes.map(Value.string)),
            "services": .list(services.map(Value.string)),
            "unowned_files": .list(unownedFiles.map(Value.string)),
            "lines_added": .int(Int64(files.reduce(0) { $0 + $1.change.linesAdded })),
            "lines_removed": .int(Int64(files.reduce(0) { $0 + $1.change.linesRemoved })),
            "messages": .list(commits.map { .string($0.commit.message) }),
            "commits": .list(commitValues),
            "provenance": value(provenance),
        ])
        let blastValue: Value = .record([
            "services": .list(blast.services.map(Value.string)),
            "count": .int(Int64(blast.services.count)),
            "max_tier": .int(Int64(blast.maxTier)),
            "dependents": .list(blast.dependents.map(Value.string)),
            "tiers": .map(MapValue(blast.services.map { (.string($0), .int(Int64(blast.tiers[$0] ?? 3))) })),
        ])
        let riskValue: Value = .record([
            "score": .int(Int64(risk.score)),
            "level": .string(risk.level.rawValue),
            "factors": .list(
                risk.factors.map {
                    .record(["name": .string($0.name), "points": .int(Int64($0.points)), "reason": .string($0.reason)])
                }),
        ])
        return Activation(["change": change, "blast": blastValue, "risk": riskValue, "now": .timestamp(now)])
    }

    /// One element of `change.files`.
    public static func value(of file: FileReport) -> Value {
        .record([
            "path": .string(file.change.path),
            "old_path": .string(file.change.oldPath ?? file.change.path),
            "status": .string(file.change.status.rawValue),
            "added": .int(Int64(file.change.linesAdded)),
            "removed": .int(Int64(file.change.linesRemoved)),
            "binary": .bool(file.change.isBinary),
            "service": .string(file.service ?? ""),
            "classes": .list(file.classes.map(Value.string)),
        ])
    }

    private static func person(_ identity: Identity) -> Value {
        .record(["name": .string(identity.name), "email": .string(identity.email)])
    }

    private static func value(_ provenance: Provenance) -> Value {
        .record([
            "kind": .string(provenance.kind.rawValue),
            "tools": .list(provenance.tools.map(Value.string)),
            "models": .list(provenance.models.map(Value.string)),
            "signals": .list(provenance.signals.map(Value.string)),
        ])
    }
}
