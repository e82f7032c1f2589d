import BlastwallCore

/// helm: install and upgrade write, uninstall destroys; the release name says the service.
struct HelmRecognizer: CommandRecognizer {
    let programs = ["helm", "helmfile"]

    static let valueOptions: Set<String> = [
        "-n", "--namespace", "--kube-context", "--kubeconfig", "-f", "--values", "--set", "--set-string", "--version", "-o",
        "--output", "--repo", "--timeout", "--set-file", "-l", "--selector", "-e", "--environment",
    ]

    func recognize(_ invocation: Invocation, in context: CommandContext) -> Recognition {
        var recognition = Recognition(tool: "helm")
        if let kubeContext = invocation.value(of: "--kube-context") {
            recognition.signals.append(EnvironmentSignal(.kubeContexts, kubeContext))
        }
        if let namespace = invocation.value(of: "-n", "--namespace") {
            recognition.signals.append(EnvironmentSignal(.kubeNamespaces, namespace))
            recognition.serviceCandidates.append(namespace)
        }
        if let environment = invocation.value(of: "-e", "--environment") {
            recognition.signals.append(EnvironmentSignal(.kubeContexts, environment))
        }
        let words = FileSystemRecognizer.operands(invocation, valueOptions: Self.valueOptions)
        guard let verb = words.first else { return recognition }
        recognition.verb = verb
        let shown = words.joined(separator: " ")
        if let release = words.dropFirst().first, !["repo", "plugin", "registry"].contains(verb) {
            recognition.resources.append("release/\(release)")
            recognition.serviceCandidates.append(release)
        }
        switch verb {
        case "uninstall", "delete", "del", "un", "destroy":
            recognition.add(.destructive, shown, "\(verb) removes a release and its resources")
        case "install", "upgrade", "rollback", "apply", "sync", "i":
            recognition.add(.write, shown, "\(verb) changes the cluster")
        case "list", "ls", "status", "get", "history", "template", "show", "inspect", "search", "lint", "version", "env", "diff",
            "verify", "completion", "dependency", "test":
            recognition.add(.read, shown, "helm \(verb) only reads")
        case "repo", "plugin", "registry", "pull", "fetch", "package", "push":
            let action = words.dropFirst().first ?? ""
            recognition.add(action == "list" ? .read : .write, shown, "helm \(verb) changes local helm state")
        default:
            recognition.add(.write, shown, "helm \(verb): not known to only read")
        }
        return recognition
    }
}
