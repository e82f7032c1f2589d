import ArgumentParser

/// Where the repository and its configuration are.
struct RepositoryOptions: ParsableArguments {
    @Option(help: "The git repository.")
    var repo: String = "."

    @Option(help: "The configuration file (default: blastwall.yml in the repository).")
    var config: String?
}

/// Which change to analyse, and when.
struct RangeOptions: ParsableArguments {
    @Option(help: "The base revision (default: merge-base of HEAD with the default branch).")
    var base: String?

    @Option(help: "The head revision (default: HEAD).")
    var head: String?

    @Option(help: ArgumentHelp("Evaluate as if at this RFC 3339 time (for freezes and reproducible runs).", valueName: "time"))
    var now: String?
}
