import BlastwallCore

/// aws, gcloud, az: operations named delete-*, terminate-*, `s3 rb --force`, `s3 rm --recursive`; the profile,
/// account, region, project or subscription says the environment.
struct CloudRecognizer: CommandRecognizer {
    let programs = ["aws", "gcloud", "gsutil", "az", "doctl", "flyctl", "fly", "heroku", "vercel", "netlify"]

    static let destructivePrefixes = [
        "delete", "terminate", "remove", "deregister", "purge", "destroy", "rb", "disable", "detach", "revoke", "cancel", "release",
        "reset", "wipe", "drop", "stop", "scale-to-zero", "apps:destroy", "pg:reset",
    ]
    static let readPrefixes = [
        "describe", "list", "get", "ls", "show", "head", "wait", "lookup", "search", "check", "validate", "help", "version", "info",
        "whoami", "logs", "tail", "status", "filter-log-events", "test-", "estimate", "preview", "cat", "du", "stat", "print",
    ]
    static let valueOptions: Set<String> = [
        "--profile", "--region", "--project", "--subscription", "--output", "-o", "--query", "--account", "--zone", "-g",
        "--resource-group", "--format", "--filter", "--endpoint-url", "--cli-input-json", "--bucket", "--key", "--name", "-n",
        "--app", "-a",
    ]

    func recognize(_ invocation: Invocation, in context: CommandContext) -> Recognition {
        let tool = invocation.program == "gsutil" ? "gcloud" : (invocation.program == "fly" ? "flyctl" : invocation.program)
        var recognition = Recognition(tool: tool)
        switch tool {
        case "aws":
            if let profile = invocation.value(of: "--profile") ?? invocation.variables["AWS_PROFILE"] {
                recognition.signals.append(EnvironmentSignal(.awsProfiles, profile))
            }
            if let region = invocation.value(of: "--region") ?? invocation.variables["AWS_REGION"]
                ?? invocation.variables["AWS_DEFAULT_REGION"]
            {
                recognition.signals.append(EnvironmentSignal(.awsRegions, region))
            }
            for value in invocation.values where value.hasPrefix("arn:") {
                let parts = value.split(separator: ":", omittingEmptySubsequences: false)
                if parts.count > 4, !parts[4].isEmpty { recognition.signals.append(EnvironmentSignal(.awsAccounts, String(parts[4]))) }
                if parts.count > 3, !parts[3].isEmpty { recognition.signals.append(EnvironmentSignal(.awsRegions, String(parts[3]))) }
            }
        case "gcloud":
            if let project = invocation.value(of: "--project") ?? invocation.variables["CLOUDSDK_CORE_PROJECT"] {
                recognition.signals.append(EnvironmentSignal(.gcloudProjects, project))
            }
        case "az":
            if let subscription = invocation.value(of: "--subscription") {
                recognition.signals.append(EnvironmentSignal(.azureSubscriptions, subscription))
            }
        default:
            if let app = invocation.value(of: "--app", "-a") {
                recognition.serviceCandidates.append(app)
                recognition.resources.append("app/\(app)")
            }
        }
        let words = FileSystemRecognizer.operands(invocation, valueOptions: Self.valueOptions)
        guard !words.isEmpty else { return recognition }
        let shown = words.joined(separator: " ")
        // aws SERVICE OPERATION; gcloud GROUP… VERB; az GROUP… VERB; gsutil VERB.
        let verbs = tool == "aws" ? Array(words.dropFirst().prefix(1)) : words
        recognition.verb = verbs.last ?? words[0]
        if tool == "aws", words.first == "s3" {
            s3(invocation, words, shown, &recognition)
            return recognition
        }
        if let destructive = verbs.first(where: { verb in Self.destructivePrefixes.contains { verb.hasPrefix($0) } }) {
            recognition.verb = destructive
            if destructive.hasPrefix("stop") || destructive.hasPrefix("disable") || destructive.hasPrefix("detach") {
                recognition.add(.destructive, shown, "\(destructive) takes something out of service")
            } else {
                recognition.add(.destructive, shown, "\(destructive) deletes cloud resources")
            }
        } else if let verb = verbs.last, Self.readPrefixes.contains(where: { verb.hasPrefix($0) }) {
            recognition.add(.read, shown, "\(verb) only reads")
        } else if tool == "gcloud", words.first == "config" || words.first == "auth" {
            recognition.add(.write, shown, "changes the local gcloud configuration")
        } else {
            recognition.add(.write, shown, "\(recognition.verb) changes cloud resources")
        }
        return recognition
    }

    private func s3(_ invocation: Invocation, _ words: [String], _ shown: String, _ recognition: inout Recognition) {
        let action = words.dropFirst().first ?? ""
        let buckets = words.dropFirst(2).filter { $0.hasPrefix("s3://") }
        recognition.resources += buckets.map { "bucket/\($0.dropFirst(5).split(separator: "/").first ?? "")" }
        recognition.verb = action
        switch action {
        case "rb":
            recognition.add(
                .destructive, shown, invocation.has("--force") ? "rb --force deletes a bucket and everything in it" : "deletes a bucket")
        case "rm":
            recognition.add(
                .destructive, shown,
                invocation.has("--recursive") ? "rm --recursive deletes every object under the prefix" : "deletes an object")
        case "sync", "mv":
            let deletes = invocation.has("--delete") || action == "mv"
            recognition.add(
                deletes ? .destructive : .write, shown, deletes ? "\(action) removes objects at one end" : "copies objects")
        case "ls", "presign":
            recognition.add(.read, shown, "lists objects")
        default:
            recognition.add(.write, shown, "writes objects")
        }
    }
}
