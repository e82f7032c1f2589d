import BlastwallCore
import CommandGuard

/// A configuration with three environments, two services and one agent, and a working tree at /work/repo.
enum GuardFixture {
    static let yaml = """
        services:
          payments: { paths: ["/services/payments/"], owners: ["@pay-team"], tier: 1 }
          web: { paths: ["/web/"], owners: ["@web-team"] }
        environments:
          prod:
            kube_contexts: ["prod-*"]
            kube_namespaces: [prod]
            aws_profiles: [prod]
            aws_accounts: ["111111111111"]
            gcloud_projects: [acme-prod]
            azure_subscriptions: [prod-sub]
            terraform_workspaces: [prod]
            terraform_files: ["*prod*"]
            db_hosts: ["*.prod.internal"]
            db_names: ["*prod*"]
            ssh_hosts: ["*.prod.internal", bastion-prod]
            hosts: [api.acme.com]
          staging:
            kube_contexts: ["staging-*"]
            aws_profiles: [staging]
            gcloud_projects: [acme-staging]
            azure_subscriptions: [staging-sub]
            terraform_workspaces: [staging]
            terraform_files: ["*staging*"]
            db_hosts: ["*.staging.internal"]
            db_names: ["*staging*"]
            ssh_hosts: ["*.staging.internal"]
          dev:
            kube_contexts: ["kind-*", minikube]
            db_hosts: [localhost, 127.0.0.1]
        agents:
          coder:
            model: claude-opus-4
            operator: "@dana"
            default_environment: dev
            environments: { prod: [read], staging: [read, write], dev: all }
        """

    static let configuration: Configuration = {
        do { return try ConfigurationLoader.load(yaml: yaml, file: "blastwall.yml").configuration } catch {
            fatalError("the fixture configuration does not load: \(error)")
        }
    }()

    static let classifier = CommandClassifier(configuration: configuration)

    static let context = CommandContext(
        directory: "/work/repo", workingTree: "/work/repo", home: "/home/dana",
        exists: { path in
            ["/etc/hosts", "/work/repo/README.md", "/home/dana/.bashrc", "/work/repo/services/payments/main.swift"].contains(path)
        })

    static func classify(_ text: String, context: CommandContext = context) -> CommandClassification {
        classifier.classify(text, in: context, defaultEnvironment: "dev")
    }
}
