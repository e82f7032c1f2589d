import BlastwallCore

/// Package managers and build tools: publishing cannot be taken back; installing and building write locally.
struct PackageRecognizer: CommandRecognizer {
    let programs = [
        "npm", "yarn", "pnpm", "bun", "cargo", "gem", "twine", "pip", "pip3", "uv", "poetry", "swift", "go", "mvn", "gradle",
        "gradlew", "dotnet", "make", "cmake", "ninja", "bundle", "composer", "pytest", "tox", "brew", "apt", "apt-get", "dnf", "yum",
        "apk", "pacman", "flatpak", "snap", "hatch", "flit", "rake", "mix", "deno", "nuget", "conda",
    ]

    func recognize(_ invocation: Invocation, in context: CommandContext) -> Recognition {
        var recognition = Recognition(tool: invocation.program)
        let words = invocation.operands
        let verb = words.first ?? ""
        recognition.verb = verb
        let shown = ([invocation.program] + words.prefix(3)).joined(separator: " ")
        let publishes: Bool =
            switch invocation.program {
            case "npm", "yarn", "pnpm", "bun", "cargo", "poetry", "hatch", "flit", "deno":
                ["publish", "unpublish", "yank", "deprecate"].contains(verb) || (verb == "npm" && words.dropFirst().first == "publish")
            case "gem": ["push", "yank"].contains(verb)
            case "twine": verb == "upload"
            case "uv": verb == "publish"
            case "swift": verb == "package-registry" && words.dropFirst().first == "publish"
            case "dotnet": verb == "nuget" && words.dropFirst().first == "push"
            case "nuget": verb == "push" || verb == "delete"
            case "mvn": words.contains("deploy")
            case "gradle", "gradlew": words.contains { $0.hasPrefix("publish") }
            default: false
            }
        if publishes {
            recognition.add(.destructive, shown, "publishes a package, which cannot be taken back once others download it")
            return recognition
        }
        let reads: Set<String> = [
            "list", "ls", "show", "info", "view", "outdated", "audit", "why", "search", "version", "--version", "help", "freeze", "check",
            "tree", "doctor", "config",
        ]
        if reads.contains(verb) || verb.isEmpty && invocation.has("--version", "-v", "--help") {
            recognition.add(.read, shown, "\(invocation.program) \(verb) only reads")
        } else if ["apt", "apt-get", "dnf", "yum", "apk", "pacman", "brew", "snap", "flatpak"].contains(invocation.program),
            ["remove", "purge", "autoremove", "uninstall", "erase", "del", "-R", "-Rns"].contains(verb) || invocation.has("-R")
        {
            recognition.add(.destructive, shown, "removes system packages")
        } else {
            recognition.add(.write, shown, "builds, tests or installs locally (the project's own code runs, unseen)")
        }
        return recognition
    }
}
