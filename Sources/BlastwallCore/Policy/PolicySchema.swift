import CEL

/// The variables a `when` condition can read, declared so that conditions are type-checked at load time.
public enum PolicySchema {
    static let person = ObjectType(name: "blastwall.Person", fields: ["name": .string, "email": .string])

    static let provenance = ObjectType(
        name: "blastwall.Provenance",
        fields: [
            "kind": .string, "tools": .list(.string), "models": .list(.string), "signals": .list(.string),
        ])

    static let file = ObjectType(
        name: "blastwall.File",
        fields: [
            "path": .string, "old_path": .string, "status": .string, "added": .int, "removed": .int,
            "binary": .bool, "service": .string, "classes": .list(.string),
        ])

    static let commit = ObjectType(
        name: "blastwall.Commit",
        fields: [
            "sha": .string, "author": .object(person.name), "committer": .object(person.name), "message": .string,
            "provenance": .object(provenance.name),
        ])

    static let change = ObjectType(
        name: "blastwall.Change",
        fields: [
            "author": .object(person.name),
            "committers": .list(.object(person.name)),
            "files": .list(.object(file.name)),
            "classes": .list(.string),
            "services": .list(.string),
            "unowned_files": .list(.string),
            "lines_added": .int,
            "lines_removed": .int,
            "messages": .list(.string),
            "commits": .list(.object(commit.name)),
            "provenance": .object(provenance.name),
        ])

    static let blast = ObjectType(
        name: "blastwall.Blast",
        fields: [
            "services": .list(.string), "count": .int, "max_tier": .int, "dependents": .list(.string),
            "tiers": .map(.string, .int),
        ])

    static let riskFactor = ObjectType(name: "blastwall.RiskFactor", fields: ["name": .string, "points": .int, "reason": .string])

    static let risk = ObjectType(
        name: "blastwall.Risk",
        fields: ["score": .int, "level": .string, "factors": .list(.object(riskFactor.name))])

    /// Declarations for `change`, `blast`, `risk` and `now`.
    public static let declarations = Declarations(
        variables: [
            "change": .object(change.name), "blast": .object(blast.name), "risk": .object(risk.name), "now": .timestamp,
        ],
        objectTypes: [person, provenance, file, commit, change, blast, riskFactor, risk],
        sizeHints: sizeHints)

    /// The sizes the cost estimate assumes: a change of 10,000 files and 1,000 commits, paths of 256 bytes,
    /// commit messages of 4 KiB. Larger changes still evaluate, within the run-time budget.
    static let sizeHints = CostEstimator.SizeHints(
        elements: [
            "change.files": 10_000, "change.commits": 1_000, "change.messages": 1_000, "change.committers": 1_000,
            "change.services": 500, "change.unowned_files": 10_000, "change.classes": 50, "change.files.@.classes": 20,
            "blast.services": 500, "blast.dependents": 500, "blast.tiers": 500, "risk.factors": 50,
        ],
        stringLengths: ["change.messages.@": 4096, "change.commits.@.message": 4096],
        defaultElements: 100, defaultStringLength: 256)

    /// Compiles a condition over `declarations` (a `when:` by default) and requires it to produce a bool.
    public static func compileCondition(_ source: String, declarations: Declarations = declarations) throws(Program.CompileError)
        -> Program
    {
        let program = try Program(source, declarations: declarations)
        guard program.resultType.isAssignable(to: .bool) else {
            throw .types([CheckError("a condition must be a bool, but this expression is '\(program.resultType)'", at: .start)])
        }
        return program
    }
}
