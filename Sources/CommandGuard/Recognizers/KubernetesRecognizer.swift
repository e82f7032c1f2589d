import BlastwallCore

/// kubectl (and `oc`): verbs by class; deleting namespaces, everything, volumes; scaling to zero; draining.
/// The context and namespace say the environment; namespaces and resource names say the service.
struct KubernetesRecognizer: CommandRecognizer {
    let programs = ["kubectl", "oc", "k", "kubecolor"]

    static let readVerbs: Set<String> = [
        "get", "describe", "logs", "log", "top", "explain", "api-resources", "api-versions", "version", "cluster-info", "diff",
        "events", "wait", "auth", "port-forward", "proxy", "completion", "plugin", "kustomize", "whoami", "status",
    ]
    static let writeVerbs: Set<String> = [
        "apply", "create", "patch", "edit", "label", "annotate", "set", "expose", "autoscale", "cp", "run", "cordon", "uncordon",
        "taint", "replace", "rollout", "attach", "debug", "certificate", "new-app", "start-build", "tag", "login", "project",
    ]
    /// Verbs whose first word is a subcommand (`rollout restart`, `set image`), not an object.
    static let subcommandVerbs: Set<String> = ["rollout", "set"]
    /// Kinds whose deletion loses data or takes down more than one workload.
    static let criticalKinds: Set<String> = [
        "namespace", "namespaces", "ns", "pv", "persistentvolume", "persistentvolumes", "pvc", "persistentvolumeclaim",
        "persistentvolumeclaims", "crd", "crds", "customresourcedefinition", "customresourcedefinitions", "node", "nodes", "no",
        "storageclass", "storageclasses", "sc", "secret", "secrets", "project", "projects", "statefulset", "statefulsets", "sts",
    ]
    /// Kinds a controller recreates: deleting one is a restart.
    static let recreatedKinds: Set<String> = ["pod", "pods", "po", "job", "jobs", "event", "events", "ev"]
    static let valueOptions: Set<String> = [
        "-n", "--namespace", "--context", "--cluster", "--kubeconfig", "-l", "--selector", "-o", "--output", "-f", "--filename",
        "-c", "--container", "--user", "-s", "--server", "--field-selector", "--replicas", "--timeout", "-k", "--kustomize",
        "--grace-period", "--as", "--token", "--type", "--image", "-p", "--patch",
    ]

    func recognize(_ invocation: Invocation, in context: CommandContext) -> Recognition {
        var recognition = Recognition(tool: "kubectl")
        if let kubeContext = invocation.value(of: "--context") {
            recognition.signals.append(EnvironmentSignal(.kubeContexts, kubeContext))
        } else if let cluster = invocation.value(of: "--cluster") {
            recognition.signals.append(EnvironmentSignal(.kubeContexts, cluster))
        }
        let namespace = invocation.value(of: "-n", "--namespace")
        if let namespace {
            recognition.signals.append(EnvironmentSignal(.kubeNamespaces, namespace))
            recognition.serviceCandidates.append(namespace)
        }
        if let server = invocation.value(of: "-s", "--server") {
            recognition.signals.append(EnvironmentSignal(.hosts, Self.host(of: server)))
        }
        // `kubectl exec POD -- CMD`: everything before `--` is kubectl's.
        let separator = invocation.arguments.firstIndex { $0.value == "--" }
        let own = Invocation(program: "kubectl", arguments: Array(invocation.arguments[..<(separator ?? invocation.arguments.endIndex)]))
        let words = FileSystemRecognizer.operands(own, valueOptions: Self.valueOptions)
        guard let verb = words.first else { return recognition }
        recognition.verb = verb
        // `rollout restart deploy/web`, `set image deploy/web app=…`: a subcommand comes before the objects.
        let subcommand = Self.subcommandVerbs.contains(verb) ? words.dropFirst().first : nil
        // `disk=ssd`, `web=web:1.2` are labels and images, never names (which cannot hold `=`).
        let objects = words.dropFirst(subcommand == nil ? 1 : 2).filter { !$0.contains("=") }
        let shown = words.joined(separator: " ")
        let everything = own.has("--all", "-A", "--all-namespaces")
        let selector = own.value(of: "-l", "--selector")
        let (kind, names) = Self.objects(objects)
        recognition.resources += names.map { "\(kind ?? "resource")/\($0)" }
        recognition.serviceCandidates += names
        if Self.readVerbs.contains(verb) || (verb == "rollout" && ["status", "history"].contains(subcommand ?? "")) {
            recognition.add(.read, shown, "kubectl \(([verb] + (subcommand.map { [$0] } ?? [])).joined(separator: " ")) only reads")
            return recognition
        }
        switch verb {
        case "delete":
            if everything {
                recognition.add(
                    .destructive, shown + (own.has("-A", "--all-namespaces") ? " -A" : " --all"), "delete of everything selected")
            } else if let kind, Self.criticalKinds.contains(kind.lowercased()) {
                recognition.add(.destructive, shown, "delete of \(Self.describe(kind))")
            } else if own.value(of: "-f", "--filename", "-k", "--kustomize") != nil {
                recognition.add(.destructive, "delete -f", "delete of every resource in a manifest")
            } else if selector != nil {
                recognition.add(.destructive, shown + " -l \(selector!)", "delete of everything a label selector matches")
            } else if let kind, Self.recreatedKinds.contains(kind.lowercased()) {
                recognition.add(.write, shown, "delete of \(kind) (its controller makes a new one)")
            } else {
                recognition.add(.destructive, shown, "delete of \(kind.map(Self.describe) ?? "a resource")")
            }
        case "scale":
            if let replicas = own.value(of: "--replicas"), Int(replicas) == 0 {
                recognition.add(.destructive, shown + " --replicas=0", "scales to zero replicas: the service stops")
            } else {
                recognition.add(.write, shown, "scales a workload")
            }
        case "drain":
            recognition.add(.destructive, shown, "drain evicts every pod from a node")
        case "replace" where own.has("--force"):
            recognition.add(.destructive, shown + " --force", "replace --force deletes and recreates")
        case "apply" where own.values.contains { $0 == "--prune" }:
            recognition.add(.destructive, shown + " --prune", "apply --prune deletes what the manifests no longer name")
        case "config":
            let action = objects.first ?? ""
            if ["view", "get-contexts", "current-context", "get-clusters", "get-users"].contains(action) {
                recognition.add(.read, shown, "reads the kubeconfig")
            } else if ["delete-context", "delete-cluster", "delete-user", "unset"].contains(action) {
                recognition.add(.write, shown, "removes an entry from the local kubeconfig")
            } else {
                recognition.add(.write, shown, "changes the local kubeconfig")
                if action == "use-context", let target = objects.dropFirst().first {
                    recognition.signals.append(EnvironmentSignal(.kubeContexts, target))
                }
            }
        case "exec":
            if let separator, separator + 1 < invocation.arguments.count {
                recognition.add(.read, "exec", "runs a command in a container")
                var inner = Wrappers.inner(invocation, at: separator + 1, wrapper: "kubectl exec")
                inner.inheritedSignals += recognition.signals
                inner.isRemote = true
                recognition.nested.append(.invocation(inner))
            } else {
                recognition.findings.append(
                    .opaque("exec " + objects.joined(separator: " "), "opens a shell in a container, whose commands the guard cannot see"))
            }
        default:
            if Self.writeVerbs.contains(verb) {
                recognition.add(.write, shown, "kubectl \(verb) changes the cluster")
            } else {
                recognition.add(.write, shown, "kubectl \(verb): not known to only read")
            }
        }
        return recognition
    }

    /// `delete deployment/web api`, `delete pods a b`: the kind and the names.
    static func objects(_ words: [String]) -> (kind: String?, names: [String]) {
        guard let first = words.first else { return (nil, []) }
        if first.contains("/") {
            let parts = first.split(separator: "/", maxSplits: 1).map(String.init)
            return (parts[0], words.map { $0.split(separator: "/").last.map(String.init) ?? $0 })
        }
        let kind = first.split(separator: ",").first.map { String($0.split(separator: ".").first ?? $0) }
        return (kind, Array(words.dropFirst()))
    }

    static func describe(_ kind: String) -> String {
        switch kind.lowercased() {
        case "ns", "namespace", "namespaces": "a namespace"
        case "pv", "persistentvolume", "persistentvolumes": "a persistent volume"
        case "pvc", "persistentvolumeclaim", "persistentvolumeclaims": "a persistent volume claim"
        case "node", "nodes", "no": "a node"
        default: kind
        }
    }

    static func host(of url: String) -> String {
        var rest = Substring(url)
        if let scheme = rest.firstRange(of: "://") { rest = rest[scheme.upperBound...] }
        if let at = rest.lastIndex(of: "@") { rest = rest[rest.index(after: at)...] }
        let end = rest.firstIndex { $0 == "/" || $0 == ":" || $0 == "?" } ?? rest.endIndex
        return String(rest[..<end])
    }
}
