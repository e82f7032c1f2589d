import BlastwallCore

/// git: history rewriting, force pushes to protected branches, discarded work, deleted branches and tags.
struct GitRecognizer: CommandRecognizer {
    let programs = ["git"]

    /// Branches a force push or deletion of is destructive: shared history others build on.
    static let protectedBranches = [
        WildcardPattern("main"), WildcardPattern("master"), WildcardPattern("trunk"), WildcardPattern("develop"),
        WildcardPattern("release*"), WildcardPattern("prod*"), WildcardPattern("production"), WildcardPattern("stable"),
        WildcardPattern("hotfix*"),
    ]

    static let readCommands: Set<String> = [
        "status", "log", "diff", "show", "blame", "annotate", "rev-parse", "rev-list", "ls-files", "ls-tree", "ls-remote", "grep",
        "describe", "shortlog", "cat-file", "whatchanged", "reflog", "help", "version", "var", "check-ignore", "name-rev",
        "merge-base", "for-each-ref", "show-ref", "count-objects", "fsck", "verify-commit", "verify-tag", "range-diff", "cherry",
        "show-branch", "bugreport", "archive", "format-patch", "request-pull", "difftool", "instaweb", "citool", "gui", "bisect",
    ]
    static let rewriting: Set<String> = ["filter-branch", "filter-repo", "replace"]

    func recognize(_ invocation: Invocation, in context: CommandContext) -> Recognition {
        var recognition = Recognition(tool: "git")
        // Global options before the subcommand: `-C dir`, `-c key=value`, `--git-dir=…`.
        var index = 0
        var aliases: [String: String] = [:]
        let values = invocation.values
        while index < values.count, values[index].hasPrefix("-") {
            let option = values[index]
            if ["-C", "-c", "--git-dir", "--work-tree", "--namespace", "--exec-path", "--config-env"].contains(option) {
                if option == "-c", index + 1 < values.count { Self.readAlias(values[index + 1], into: &aliases) }
                index += 2
            } else {
                index += 1
            }
        }
        guard index < values.count else { return recognition }
        var subcommand = values[index]
        var rest = Array(invocation.arguments[(index + 1)...])
        if let alias = aliases[subcommand] {
            if alias.hasPrefix("!") {
                recognition.verb = subcommand
                recognition.add(.read, subcommand, "an alias for a shell command")
                let script = ([String(alias.dropFirst())] + rest.map(\.shown)).joined(separator: " ")
                recognition.nested.append(.script(script, wrapper: "git alias \(subcommand)", signals: [], isRemote: invocation.isRemote))
                return recognition
            }
            // `alias.x=push --force` makes `git x main` a `git push --force main`.
            let words = alias.split(separator: " ").map { Argument(String($0)) }
            guard let first = words.first else { return recognition }
            subcommand = first.value
            rest = Array(words.dropFirst()) + rest
        }
        recognition.verb = subcommand
        let command = Invocation(program: "git", arguments: rest)
        let shown = ([subcommand] + rest.map(\.shown)).joined(separator: " ")
        let dropsReflog = subcommand == "reflog" && ["expire", "delete"].contains(command.operands.first ?? "")
        if Self.readCommands.contains(subcommand), !dropsReflog {
            recognition.add(.read, subcommand, "git \(subcommand) only reads")
            return recognition
        }
        if Self.rewriting.contains(subcommand) {
            recognition.add(.destructive, shown, "rewrites history")
            return recognition
        }
        switch subcommand {
        case "push": push(command, shown, &recognition)
        case "reset":
            if command.has("--hard", "--merge", "--keep") {
                recognition.add(.destructive, shown, "reset --hard discards uncommitted work")
            } else {
                recognition.add(.write, shown, "moves the branch")
            }
        case "clean":
            if command.has("-n", "--dry-run") {
                recognition.add(.read, shown, "a dry run")
            } else if command.has("-f", "--force") {
                recognition.add(.destructive, shown, "deletes untracked files, which git cannot restore")
            } else {
                recognition.add(.read, shown, "refuses to delete without -f")
            }
        case "branch":
            if command.has("-D", "-d", "--delete") {
                recognition.add(.destructive, shown, "deletes a branch")
                recognition.resources += command.operands.map { "branch/\($0)" }
            } else if command.has("-f", "--force", "-M", "-m", "-C", "-c", "--move", "--copy", "-u", "--set-upstream-to") {
                recognition.add(.write, shown, "changes branches")
            } else if command.operands.isEmpty || command.has("-l", "--list", "-a", "-r", "-v", "-vv", "--show-current") {
                recognition.add(.read, shown, "lists branches")
            } else {
                recognition.add(.write, shown, "creates a branch")
            }
        case "tag":
            if command.has("-d", "--delete") {
                recognition.add(.destructive, shown, "deletes a tag")
            } else if command.operands.isEmpty || command.has("-l", "--list", "-v", "--verify") {
                recognition.add(.read, shown, "lists tags")
            } else if command.has("-f", "--force") {
                recognition.add(.destructive, shown, "moves an existing tag")
            } else {
                recognition.add(.write, shown, "creates a tag")
            }
        case "stash":
            let action = command.operands.first ?? "push"
            switch action {
            case "drop", "clear": recognition.add(.destructive, shown, "stash \(action) discards stashed work")
            case "list", "show": recognition.add(.read, shown, "looks at stashes")
            default: recognition.add(.write, shown, "stashes work")
            }
        case "remote":
            let action = command.operands.first ?? ""
            if ["remove", "rm"].contains(action) {
                recognition.add(.write, shown, "removes a remote")
            } else if ["add", "rename", "set-url", "set-head", "set-branches", "prune", "update"].contains(action) {
                recognition.add(.write, shown, "changes remotes")
            } else {
                recognition.add(.read, shown, "lists remotes")
            }
        case "config":
            if command.has("--get", "--get-all", "--list", "-l", "--get-regexp", "--show-origin") || command.operands.count <= 1 {
                recognition.add(.read, shown, "reads configuration")
            } else {
                recognition.add(.write, shown, "changes git's configuration")
            }
        case "update-ref":
            recognition.add(command.has("-d") ? .destructive : .write, shown, command.has("-d") ? "deletes a ref" : "moves a ref")
        case "reflog" where command.operands.first == "expire" || command.operands.first == "delete":
            recognition.add(.destructive, shown, "drops the reflog, the record that makes lost commits recoverable")
        case "gc", "prune":
            let dropsNow = command.values.contains { $0.hasPrefix("--prune=now") || $0 == "--expire=now" } || subcommand == "prune"
            recognition.add(dropsNow ? .destructive : .write, shown, dropsNow ? "drops unreachable commits now" : "packs objects")
        case "checkout", "switch", "restore":
            let discards =
                command.has("-f", "--force", "--discard-changes") || command.values.contains("--")
                || (subcommand == "restore" && !command.has("--staged")) || command.operands.contains(".")
            recognition.add(.write, shown, discards ? "discards uncommitted changes to files" : "switches branches")
        case "worktree":
            let action = command.operands.first ?? ""
            recognition.add(action == "list" ? .read : .write, shown, action == "list" ? "lists worktrees" : "changes worktrees")
        case "submodule":
            recognition.add(command.operands.first == "status" ? .read : .write, shown, "submodules")
        case "fetch", "pull", "merge", "rebase", "cherry-pick", "revert", "commit", "add", "rm", "mv", "init", "clone", "am", "apply",
            "notes", "sparse-checkout", "lfs", "maintenance", "repack", "pack-refs", "mergetool", "rerere", "restore-mtime":
            if subcommand == "commit", command.has("--amend") {
                recognition.add(.write, shown, "rewrites the last commit")
            } else {
                recognition.add(.write, shown, "git \(subcommand) changes the repository")
            }
        default:
            recognition.add(.write, shown, "git \(subcommand): not known to only read")
        }
        return recognition
    }

    private func push(_ command: Invocation, _ shown: String, _ recognition: inout Recognition) {
        let operands = command.operands
        let refspecs = operands.dropFirst()
        let forced =
            command.has("-f", "--force", "--force-with-lease", "--force-if-includes") || refspecs.contains { $0.hasPrefix("+") }
        let deletes = command.has("-d", "--delete") || refspecs.contains { $0.hasPrefix(":") && $0.count > 1 }
        if command.has("--mirror") {
            recognition.add(.destructive, shown, "push --mirror overwrites and deletes every remote ref")
            return
        }
        // The branches the push writes: each refspec's destination; none named is the current branch, unknown here.
        let targets = refspecs.map { spec -> String in
            let trimmed = spec.hasPrefix("+") ? String(spec.dropFirst()) : spec
            let destination = trimmed.split(separator: ":", omittingEmptySubsequences: false).last.map(String.init) ?? trimmed
            return destination.hasPrefix("refs/heads/") ? String(destination.dropFirst("refs/heads/".count)) : destination
        }
        recognition.resources += targets.map { "branch/\($0)" }
        let protected = targets.filter { target in Self.protectedBranches.contains { $0.matches(target) } }
        if deletes {
            let which = targets.isEmpty ? "a remote branch" : "remote branch \(targets.joined(separator: ", "))"
            recognition.add(.destructive, shown, "deletes \(which)")
        } else if forced, targets.isEmpty || command.has("--all") {
            recognition.add(.destructive, shown, "a force push whose branch is not named: it may be a protected one")
        } else if forced, !protected.isEmpty {
            recognition.add(.destructive, shown, "a force push to the protected branch \(protected.joined(separator: ", "))")
        } else if forced {
            recognition.add(.write, shown, "a force push to \(targets.joined(separator: ", ")), which is not a protected branch")
        } else {
            recognition.add(.write, shown, "pushes commits")
        }
    }

    /// `-c alias.x=…`.
    static func readAlias(_ setting: String, into aliases: inout [String: String]) {
        guard setting.lowercased().hasPrefix("alias."), let equals = setting.firstIndex(of: "=") else { return }
        let name = setting[setting.index(setting.startIndex, offsetBy: 6)..<equals]
        aliases[String(name)] = String(setting[setting.index(after: equals)...])
    }
}
