import BlastwallCore

/// terraform, tofu and terragrunt: destroy, auto-approved applies, forced replacements, state removal; the
/// workspace and the backend and variable files say the environment.
struct TerraformRecognizer: CommandRecognizer {
    let programs = ["terraform", "tofu", "terragrunt"]

    static let readVerbs: Set<String> = [
        "plan", "show", "validate", "output", "providers", "graph", "version", "console", "fmt", "test", "metadata", "login",
        "logout", "modules", "render-json", "graph-dependencies", "hclfmt", "output-module-groups",
    ]

    func recognize(_ invocation: Invocation, in context: CommandContext) -> Recognition {
        var recognition = Recognition(tool: "terraform")
        let values = invocation.values
        for value in values {
            for prefix in ["-var-file=", "--var-file=", "-backend-config=", "-chdir=", "--terragrunt-working-dir="]
            where value.hasPrefix(prefix) {
                recognition.signals.append(EnvironmentSignal(.terraformFiles, String(value.dropFirst(prefix.count))))
            }
        }
        for name in ["-var-file", "-backend-config", "--terragrunt-working-dir"] {
            if let index = values.firstIndex(of: name), index + 1 < values.count {
                recognition.signals.append(EnvironmentSignal(.terraformFiles, values[index + 1]))
            }
        }
        if let workspace = invocation.variables["TF_WORKSPACE"] {
            recognition.signals.append(EnvironmentSignal(.terraformWorkspaces, workspace))
        }
        let words = values.filter { !$0.hasPrefix("-") }
        let verb = words.first == "run-all" || words.first == "run" ? (words.dropFirst().first ?? "") : (words.first ?? "")
        recognition.verb = verb
        let shown = invocation.text.split(separator: " ").dropFirst().joined(separator: " ")
        let replaces = values.filter { $0.hasPrefix("-replace=") || $0.hasPrefix("-replace ") }
        switch verb {
        case "destroy":
            recognition.add(.destructive, "destroy", "destroy removes every resource in the state")
        case "apply":
            if values.contains("-destroy") {
                recognition.add(.destructive, "apply -destroy", "destroys every resource in the state")
            } else if !replaces.isEmpty {
                recognition.add(.destructive, replaces.joined(separator: " "), "forces the replacement of a resource (delete, then create)")
            } else if values.contains("-auto-approve") || values.contains("--auto-approve") {
                recognition.add(.destructive, "apply -auto-approve", "applies without showing the plan first: it may delete anything")
            } else if let plan = words.dropFirst().first {
                recognition.add(.write, "apply \(plan)", "applies a saved plan (classify it first with 'blastwall agent plan')")
            } else {
                recognition.add(.write, "apply", "applies after asking for confirmation")
            }
        case "state":
            let action = words.dropFirst().first ?? ""
            switch action {
            case "rm": recognition.add(.destructive, "state rm", "removes resources from the state: terraform forgets them")
            case "list", "show", "pull": recognition.add(.read, "state \(action)", "reads the state")
            case "push": recognition.add(.destructive, "state push", "overwrites the remote state")
            default: recognition.add(.write, "state \(action)", "changes the state")
            }
        case "workspace", "env":
            let action = words.dropFirst().first ?? ""
            let target = words.dropFirst(2).first
            if let target { recognition.signals.append(EnvironmentSignal(.terraformWorkspaces, target)) }
            switch action {
            case "delete": recognition.add(.destructive, "workspace delete", "deletes a workspace and, with it, its state")
            case "list", "show": recognition.add(.read, "workspace \(action)", "reads workspaces")
            default: recognition.add(.write, "workspace \(action)", "changes the selected workspace")
            }
        case "taint":
            recognition.add(.destructive, "taint", "marks a resource to be destroyed and recreated")
        case "import", "untaint", "init", "get", "refresh", "force-unlock", "providers lock":
            recognition.add(.write, verb, "\(verb) changes the state or the working directory")
        default:
            if Self.readVerbs.contains(verb) {
                recognition.add(.read, verb.isEmpty ? shown : verb, "terraform \(verb) only reads")
            } else {
                recognition.add(.write, verb, "terraform \(verb): not known to only read")
            }
        }
        return recognition
    }
}
