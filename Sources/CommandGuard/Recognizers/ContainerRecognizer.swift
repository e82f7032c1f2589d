import BlastwallCore

/// docker, podman, nerdctl: pruning, volume removal, forced removal; `exec` is seen through.
struct ContainerRecognizer: CommandRecognizer {
    let programs = ["docker", "podman", "nerdctl", "docker-compose"]

    static let readVerbs: Set<String> = [
        "ps", "images", "logs", "inspect", "version", "info", "top", "stats", "history", "diff", "events", "port", "search", "ls",
        "config", "login", "wait",
    ]
    static let valueOptions: Set<String> = [
        "-H", "--host", "--context", "-f", "--file", "-p", "--project-name", "-e", "--env", "-v", "--volume", "--name", "-u",
        "--user", "-w", "--workdir", "--network", "--format", "--filter", "--env-file", "-l", "--label", "--entrypoint", "--platform",
        "--mount", "--publish",
    ]

    func recognize(_ invocation: Invocation, in context: CommandContext) -> Recognition {
        var recognition = Recognition(tool: invocation.program == "docker-compose" ? "docker" : invocation.program)
        if let host = invocation.value(of: "-H", "--host") ?? invocation.variables["DOCKER_HOST"] {
            recognition.signals.append(EnvironmentSignal(.hosts, KubernetesRecognizer.host(of: host)))
        }
        let words = FileSystemRecognizer.operands(invocation, valueOptions: Self.valueOptions)
        var verbs = invocation.program == "docker-compose" ? ["compose"] + words : words
        guard var verb = verbs.first else { return recognition }
        // `docker container rm`, `docker volume prune`: the object then its verb.
        var object = ""
        if [
            "container", "image", "volume", "network", "system", "builder", "buildx", "compose", "context", "node", "service",
            "stack", "secret", "plugin", "machine", "pod",
        ].contains(verb), verbs.count > 1 {
            object = verb
            verbs.removeFirst()
            verb = verbs[0]
        }
        recognition.verb = verb
        let shown = ([object, verb] + verbs.dropFirst()).filter { !$0.isEmpty }.joined(separator: " ")
        let names = Array(verbs.dropFirst())
        recognition.serviceCandidates += names
        if verb == "exec", names.count >= 2 {
            let start = invocation.arguments.firstIndex { $0.value == names[1] }
            if let start {
                var inner = Wrappers.inner(invocation, at: start, wrapper: "\(invocation.program) exec \(names[0])")
                inner.inheritedSignals += recognition.signals
                inner.isRemote = true
                recognition.add(.read, "exec", "runs a command in a container")
                recognition.nested.append(.invocation(inner))
                return recognition
            }
        }
        switch (object, verb) {
        case (_, "prune")
        where object == "system" || object == "volume" || object == "image" || object == "container"
            || object == "builder" || object == "network" || object.isEmpty:
            recognition.add(.destructive, shown, "\(shown) deletes everything unused, data volumes included where asked")
        case ("volume", "rm"), ("volume", "remove"):
            recognition.add(.destructive, shown, "removes a volume and its data")
        case (_, "rm"), (_, "rmi"), (_, "remove"), (_, "kill"):
            let forced = invocation.has("-f", "--force")
            let volumes = invocation.has("-v", "--volumes")
            recognition.add(
                forced || volumes ? .destructive : .write, shown,
                forced
                    ? "\(verb) -f removes running containers"
                    : (volumes ? "also removes volumes" : "\(verb) removes a stopped container or image"))
        case ("compose", "down"):
            let volumes = invocation.has("-v", "--volumes")
            recognition.add(
                volumes ? .destructive : .write, shown,
                volumes ? "down -v removes the project's volumes and their data" : "stops the project")
        case ("stack", "rm"), ("service", "rm"), ("secret", "rm"), ("node", "rm"):
            recognition.add(.destructive, shown, "removes a swarm \(object)")
        case ("", "push"), ("image", "push"):
            recognition.add(.write, shown, "publishes an image tag")
        default:
            if Self.readVerbs.contains(verb) || (object == "context" && verb == "ls") {
                recognition.add(.read, shown, "\(verb) only reads")
            } else {
                recognition.add(.write, shown, "\(shown) changes containers")
            }
        }
        return recognition
    }
}
