import BlastwallCore
import CommandGuard
import Foundation

/// Gathers what the classifier may know of where a command runs: the working tree, and where each tool's own
/// configuration points (the kubeconfig's current context, `AWS_PROFILE`, the terraform workspace).
enum CommandContextReader {
    static func context(directory: String, environment: [String: String]) -> CommandContext {
        let home = environment["HOME"]
        var signals: [String: [EnvironmentSignal]] = [:]
        if let context = currentKubeContext(environment: environment, home: home) {
            signals["kubectl", default: []].append(EnvironmentSignal(.kubeContexts, context.name, origin: .toolConfiguration(context.file)))
            signals["helm", default: []].append(EnvironmentSignal(.kubeContexts, context.name, origin: .toolConfiguration(context.file)))
        }
        if let profile = environment["AWS_PROFILE"] ?? environment["AWS_DEFAULT_PROFILE"] {
            signals["aws", default: []].append(EnvironmentSignal(.awsProfiles, profile, origin: .toolConfiguration("AWS_PROFILE")))
        }
        if let project = environment["CLOUDSDK_CORE_PROJECT"] ?? gcloudProject(home: home) {
            signals["gcloud", default: []].append(
                EnvironmentSignal(.gcloudProjects, project, origin: .toolConfiguration("gcloud's configuration")))
        }
        if let workspace = environment["TF_WORKSPACE"] ?? terraformWorkspace(directory: directory) {
            signals["terraform", default: []].append(
                EnvironmentSignal(.terraformWorkspaces, workspace, origin: .toolConfiguration(".terraform/environment")))
        }
        for (tool, variable, kind) in [
            ("psql", "PGHOST", EnvironmentSignalKind.databaseHosts), ("psql", "PGDATABASE", .databaseNames),
            ("mysql", "MYSQL_HOST", .databaseHosts), ("docker", "DOCKER_HOST", .hosts),
        ] {
            if let value = environment[variable] {
                signals[tool, default: []].append(EnvironmentSignal(kind, value, origin: .toolConfiguration(variable)))
            }
        }
        return CommandContext(
            directory: directory, workingTree: workingTree(of: directory), home: home, toolSignals: signals,
            exists: { FileManager.default.fileExists(atPath: $0) })
    }

    /// The nearest directory at or above `directory` that holds `.git`.
    static func workingTree(of directory: String) -> String? {
        var current = URL(fileURLWithPath: directory).standardizedFileURL.path
        while true {
            if FileManager.default.fileExists(atPath: current + "/.git") { return current }
            let parent = (current as NSString).deletingLastPathComponent
            if parent == current || parent.isEmpty { return nil }
            current = parent
        }
    }

    /// `current-context:` of the first kubeconfig file (`$KUBECONFIG`, else `~/.kube/config`).
    static func currentKubeContext(environment: [String: String], home: String?) -> (name: String, file: String)? {
        let file = environment["KUBECONFIG"]?.split(separator: ":").first.map(String.init) ?? home.map { $0 + "/.kube/config" }
        guard let file, let text = try? String(contentsOfFile: file, encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("current-context:") {
            let value = line.dropFirst("current-context:".count).trimmingCharacters(in: .whitespaces).trimmingCharacters(
                in: CharacterSet(charactersIn: "\"'"))
            return value.isEmpty ? nil : (value, "the kubeconfig's current context")
        }
        return nil
    }

    static func gcloudProject(home: String?) -> String? {
        guard let home, let text = try? String(contentsOfFile: home + "/.config/gcloud/configurations/config_default", encoding: .utf8)
        else {
            return nil
        }
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count == 2, parts[0] == "project" { return parts[1] }
        }
        return nil
    }

    /// The workspace `terraform workspace select` wrote, in the directory or the working tree above it.
    static func terraformWorkspace(directory: String) -> String? {
        guard let text = try? String(contentsOfFile: directory + "/.terraform/environment", encoding: .utf8) else { return nil }
        let name = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return name.isEmpty ? nil : name
    }
}
