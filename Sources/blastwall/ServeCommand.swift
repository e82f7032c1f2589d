import ArgumentParser
import BlastwallAnalysis
import BlastwallApp
import BlastwallCore
import BlastwallForges
import BlastwallServer
import BlastwallStorage
import Logging

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the control plane: identities, approvals, freezes, kill switches and the audit log over HTTP.")

    @Option(help: "The address to listen on.")
    var listen: String = "127.0.0.1:8080"

    @Option(help: "A SQLite file or a postgres:// URL.")
    var database: String = "blastwall.sqlite"

    @Option(help: "The configuration whose groups and services approvals use (default: blastwall.yml if present).")
    var config: String?

    @Flag(help: "Require a token with read access for GET /api/v1/switches/NAME.")
    var switchReadsNeedToken = false

    @Option(help: "The largest request body in bytes; larger bodies get 413.")
    var bodyLimit: Int = 1 << 20

    @Option(help: "An Ed25519 key (PEM, from 'blastwall keygen') that signs attestations of changes.")
    var attestationKey: String?

    @Option(
        help:
            "An Ed25519 key (PEM) that signs audit checkpoints automatically (default: the one 'admin bootstrap' wrote, DATABASE.checkpoint-key.pem for SQLite, blastwall-checkpoint-key.pem for PostgreSQL)."
    )
    var checkpointKey: String?

    @Option(help: "Events between automatic checkpoints; any unsigned event is signed within a minute in any case.")
    var checkpointEvery: Int = 1000

    @Option(
        help:
            "A file to append each checkpoint to, or an http(s) URL to POST it to: a copy outside the database for 'audit verify --witness'."
    )
    var auditWitness: String?

    @OptionGroup(title: "Forges (GitHub, GitLab, Gitea/Forgejo)") var forgeOptions: ForgeOptions

    @Option(
        help: ArgumentHelp(
            "A file holding the bearer token Alertmanager sends (http_config.authorization), or BLASTWALL_ALERTMANAGER_TOKEN: turns on POST /api/v1/incidents/alertmanager.",
            valueName: "file"))
    var alertmanagerTokenFile: String?

    @Flag(help: "Let rollouts use the nginx and command routers, which run programs and write files on this host.")
    var allowHostRouters = false

    @Option(help: "Delete the per-tick evidence of rollouts that ended longer ago than this (such as 720h); kept for good if unset.")
    var tickRetention: String?

    @Option(help: "End a dashboard session unused for this long.")
    var uiSessionIdle = "8h"

    @Option(help: "End a dashboard session this long after sign-in, used or not.")
    var uiSessionMax = "24h"

    @Option(
        help:
            "How the other servers on a shared PostgreSQL database reach this one (default http://LISTEN); they forward rollout commands to the leader there."
    )
    var advertiseURL: String?

    @Option(
        help: ArgumentHelp(
            "A host (HOST or HOST:PORT) rollouts may make this server connect to: Prometheus, webhooks, HAProxy over TCP. Repeat for each; unset, any.",
            valueName: "host"))
    var allowOutbound: [String] = []

    @Option(help: "How long a client may take to send a request's headers (from connecting, or from its first byte).")
    var headerTimeout: String = "10s"

    @Option(help: "How long a client may take to send a request's body once its headers are in.")
    var bodyTimeout: String = "30s"

    @Option(help: "How long a kept-alive connection may wait, idle, for its next request.")
    var idleTimeout: String = "60s"

    @Option(help: "Open connections one client address may hold; more are closed at once.")
    var maxConnectionsPerClient: Int = 256

    @Option(help: "Failed sign-ins one client address may make within a minute before it gets 429.")
    var signInFailuresPerMinute: Int = 20

    @Option(
        help: ArgumentHelp(
            "A repository this server analyses itself, as NAME=URL_OR_PATH (NAME as submissions name it, such as acme/payments). Repeat for each.",
            valueName: "name=url"))
    var repository: [String] = []

    @Option(help: "Where the mirrors of --repository live (default: beside the SQLite file, or ./blastwall-mirrors for PostgreSQL).")
    var mirrorDirectory: String?

    @Option(help: "How long one fetch of a mirror may take before it is stopped.")
    var mirrorFetchTimeout: String = "120s"

    @Option(help: "How large one mirror may grow on disk (such as 2GiB or 500MiB); a fetch beyond it is stopped.")
    var mirrorMaxSize: String = "2GiB"

    func run() async throws {
        guard checkpointEvery > 0 else { throw ValidationError("--checkpoint-every must be a positive number of events") }
        guard maxConnectionsPerClient > 0 else { throw ValidationError("--max-connections-per-client must be at least 1") }
        guard signInFailuresPerMinute > 0 else { throw ValidationError("--sign-in-failures-per-minute must be at least 1") }
        let limits = ConnectionLimits(
            headerTimeout: try DurationOption.parse(headerTimeout, "--header-timeout"),
            bodyTimeout: try DurationOption.parse(bodyTimeout, "--body-timeout"),
            idleTimeout: try DurationOption.parse(idleTimeout, "--idle-timeout"), connectionsPerClient: maxConnectionsPerClient)
        let retention = try tickRetention.map { text in try DurationOption.parse(text, "--tick-retention") / .seconds(1) }
        if let advertiseURL {
            // Other servers read it back from PostgreSQL's application_name, which keeps 63 bytes.
            guard advertiseURL.hasPrefix("http://") || advertiseURL.hasPrefix("https://"), advertiseURL.utf8.count <= 63 else {
                throw ValidationError(
                    "--advertise-url must be an http:// or https:// URL of at most 63 bytes, such as http://10.0.0.5:8080, not '\(advertiseURL)'"
                )
            }
        }
        let parts = listen.split(separator: ":")
        guard parts.count == 2, let port = Int(parts[1]), (0...65535).contains(port) else {
            throw ValidationError("--listen must be HOST:PORT, such as 127.0.0.1:8080")
        }
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        let logger = Logger(label: "blastwall.serve")
        let configuration = try ServerSetup.configuration(path: config)
        let databaseURL = try DatabaseURL(parsing: database)
        let (signingKey, note) = try ServerSetup.checkpointKey(path: checkpointKey, database: databaseURL)
        if let note { logger.warning("audit checkpoints are off", metadata: ["reason": "\(note)"]) }
        let mirrors = try repository.isEmpty ? nil : mirrorSettings(database: databaseURL)
        var options = ServerOptions(
            bodyLimit: bodyLimit, switchReadsNeedToken: switchReadsNeedToken,
            attestationKey: try attestationKey.map(AuditFiles.signingKey), checkpointKey: signingKey,
            checkpointEvery: checkpointEvery, allowHostRouters: allowHostRouters, tickRetentionSeconds: retention,
            outboundAllowlist: allowOutbound.isEmpty ? nil : try allowlist(), auditWitness: auditWitness.map(AuditWitness.init),
            connectionLimits: limits, signInFailuresPerMinute: signInFailuresPerMinute)
        options.forges = try forgeOptions.forges()
        options.forgeReconcileInterval = try forgeOptions.reconcileInterval()
        options.alertmanagerToken = try ServerSetup.alertmanagerToken(path: alertmanagerTokenFile)
        options.secureCookies = advertiseURL?.hasPrefix("https://") ?? false
        options.dashboardSessions = try dashboardSessions()
        let settings = BlastwallServer.Settings(
            host: String(parts[0]), port: port, database: databaseURL, configuration: configuration,
            options: options,
            advertisedURL: advertiseURL, mirrors: mirrors)
        try await BlastwallServer.run(settings, logger: logger)
    }
}

extension ServeCommand {
    private func dashboardSessions() throws -> DashboardSessionLifetime {
        let idle = try DurationOption.parse(uiSessionIdle, "--ui-session-idle") / .seconds(1)
        let absolute = try DurationOption.parse(uiSessionMax, "--ui-session-max") / .seconds(1)
        guard idle >= 60, absolute >= idle else {
            throw ValidationError(
                "--ui-session-idle must be at least 1m, and --ui-session-max at least as long (got \(uiSessionIdle), \(uiSessionMax))")
        }
        return DashboardSessionLifetime(idle: idle, absolute: absolute)
    }

    private func mirrorSettings(database: DatabaseURL) throws
        -> BlastwallServer.Settings.Mirrors
    {
        var sources: [String: String] = [:]
        for entry in repository {
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw ValidationError(
                    "--repository must be NAME=URL_OR_PATH, such as acme/payments=https://git.example/acme/payments.git, not '\(entry)'")
            }
            guard sources[parts[0]] == nil else { throw ValidationError("--repository names '\(parts[0])' twice") }
            sources[parts[0]] = ServerSetup.repositorySource(parts[1])
        }
        guard let maxBytes = ServerSetup.byteSize(mirrorMaxSize), maxBytes > 0 else {
            throw ValidationError("--mirror-max-size must be a size such as 2GiB, 500MiB or 1048576, not '\(mirrorMaxSize)'")
        }
        return BlastwallServer.Settings.Mirrors(
            sources: sources, directory: mirrorDirectory ?? ServerSetup.defaultMirrorDirectory(for: database),
            limits: RepositoryMirrors.Limits(
                fetchTimeout: try DurationOption.parse(mirrorFetchTimeout, "--mirror-fetch-timeout"), maxBytes: maxBytes))
    }

    private func allowlist() throws -> OutboundAllowlist {
        do {
            return try OutboundAllowlist(parsing: allowOutbound)
        } catch {
            throw ValidationError("--allow-outbound: \(error)")
        }
    }
}

struct AdminCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin", abstract: "Set up a control-plane database.", subcommands: [AdminBootstrapCommand.self])
}

struct AdminBootstrapCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bootstrap", abstract: "Create the first admin of an empty database and print its token (shown once).")

    @Option(help: "A SQLite file or a postgres:// URL.")
    var database: String = "blastwall.sqlite"

    @Option(help: "The admin's identity name.")
    var name: String = "admin"

    @Option(
        help:
            "Where to write the key that signs audit checkpoints (default DATABASE.checkpoint-key.pem for SQLite, blastwall-checkpoint-key.pem for PostgreSQL); an existing key there is kept."
    )
    var checkpointKey: String?

    func run() async throws {
        let url = try DatabaseURL(parsing: database)
        let token = try await BlastwallServer.bootstrap(database: url, adminName: name, logger: Logger(label: "blastwall"))
        Terminal.write("\(token)\n")
        Terminal.printError("created admin '\(name)'; this token is shown once: keep it in a secret store")
        let key = try ServerSetup.ensureCheckpointKey(path: checkpointKey, database: url)
        Terminal.printError(
            key.created
                ? "wrote the audit checkpoint key \(key.path) (public key \(key.path).pub); 'serve' signs checkpoints with it"
                : "audit checkpoints keep the key already at \(key.path)")
    }
}
