import BlastwallAnalysis
import BlastwallControlPlane
import BlastwallCore
import BlastwallStorage
import Hummingbird
import Logging

/// `blastwall serve`: opens the database, applies migrations, loads state, serves until SIGINT or SIGTERM,
/// finishes in-flight requests, then closes the database.
public enum BlastwallServer {
    public struct Settings: Sendable {
        public var host: String
        public var port: Int
        public var database: DatabaseURL
        public var configuration: Configuration
        public var options: ServerOptions
        /// How the other servers on a shared PostgreSQL database reach this one, told to clients that send
        /// rollout commands to a server that is not the leader.
        public var advertisedURL: String
        /// The repositories this server analyses itself (`--repository`), and where their mirrors live.
        public var mirrors: Mirrors?

        public struct Mirrors: Sendable {
            public var sources: [String: String]
            public var directory: String
            public var limits: RepositoryMirrors.Limits

            public init(sources: [String: String], directory: String, limits: RepositoryMirrors.Limits) {
                self.sources = sources
                self.directory = directory
                self.limits = limits
            }
        }

        public init(
            host: String, port: Int, database: DatabaseURL, configuration: Configuration, options: ServerOptions,
            advertisedURL: String? = nil, mirrors: Mirrors? = nil
        ) {
            self.mirrors = mirrors
            // Without a trailing slash: paths are appended to it when commands are forwarded.
            self.advertisedURL = advertisedURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 } ?? "http://\(host):\(port)"
            self.host = host
            self.port = port
            self.database = database
            self.configuration = configuration
            self.options = options
        }
    }

    public static func run(_ settings: Settings, logger: Logger) async throws {
        let database = try await settings.database.open(logger: logger)
        let mirrors = settings.mirrors.map {
            RepositoryMirrors(sources: $0.sources, directory: $0.directory, limits: $0.limits, logger: logger)
        }
        let controlPlane = ControlPlane(
            database: database, configuration: settings.configuration, mirrors: mirrors, forges: settings.options.forges,
            publicURL: settings.advertisedURL, logger: logger)
        var checkpoints: Task<Void, Never>?
        var forgeWorker: Task<Void, Never>?
        var retention: Task<Void, Never>?
        var caughtUp: Task<Void, Never>?
        var signInReports: Task<Void, Never>?
        var sessionUpkeep: Task<Void, Never>?
        var rollouts: RolloutController?
        // On PostgreSQL several servers may share the database: one elected leader runs the rollouts, and each
        // server takes in the others' writes.
        let shared = database.dialect == .postgres
        do {
            try await controlPlane.start()
            let controller = RolloutController(controlPlane: controlPlane, logger: logger)
            if shared, ["//0.0.0.0", "//[::]"].contains(where: settings.advertisedURL.contains) {
                logger.warning(
                    "other servers cannot reach this one at its listen address; set --advertise-url so they can forward rollout commands",
                    metadata: ["advertised": "\(settings.advertisedURL)"])
            }
            try await controller.start(electingAs: shared ? settings.advertisedURL : nil)
            rollouts = controller
            let signIns = SignInGuard(throttle: SignInThrottle(limit: settings.options.signInFailuresPerMinute, window: 60))
            let router = BlastwallRouter.make(
                controlPlane: controlPlane, controller: controller, options: settings.options, signIns: signIns)
            let app = Application(
                router: router, server: .guardedHTTP1(limits: settings.options.connectionLimits),
                configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "blastwall"),
                logger: logger)
            logger.info(
                "control plane listening",
                metadata: ["address": "\(settings.host):\(settings.port)", "schema": "\(Migrations.latestVersion)"])
            checkpoints = settings.options.checkpointKey.map { key in
                Task {
                    await AutomaticCheckpoints(
                        controlPlane: controlPlane, key: key, every: Int64(settings.options.checkpointEvery),
                        witness: settings.options.auditWitness, logger: logger
                    ).run()
                }
            }
            // At once, by notification, and within a second in any case: identities, switches, freezes, reviews,
            // the leader's flags.
            caughtUp = shared ? Task { await controlPlane.followOtherServers() } : nil
            // Per-tick evidence of ended rollouts past the retention goes, as Prometheus drops old samples; the
            // rollout, its last verdict and its audit events stay, and each deletion is audited.
            retention = settings.options.tickRetentionSeconds.map { seconds in
                Task {
                    await periodically(every: .seconds(600), logger: logger, failing: "pruning rollout ticks failed") {
                        let deleted = try await controlPlane.pruneRolloutTicks(olderThan: seconds)
                        if deleted > 0 { logger.info("rollout ticks pruned", metadata: ["deleted": "\(deleted)"]) }
                    }
                }
            }
            // Forge deliveries are applied as they are queued, and open pull requests reconciled now and then.
            forgeWorker = Task { await controlPlane.runForgeWorker(reconcileEvery: settings.options.forgeReconcileInterval) }
            // Failed sign-ins reach the audit log in aggregate: one event per client address and minute at most.
            signInReports = Task {
                await periodically(every: .seconds(60), logger: logger, failing: "recording failed sign-ins failed") {
                    try await signIns.reportToAudit(controlPlane)
                }
            }
            sessionUpkeep = Task {
                await periodically(every: .seconds(600), logger: logger, failing: "pruning dashboard sessions failed") {
                    _ = try await controlPlane.pruneSessions()
                }
            }
            try await app.runService()
            await controller.stop()
            try? await signIns.reportToAudit(controlPlane)
            for task in [checkpoints, retention, caughtUp, signInReports, sessionUpkeep, forgeWorker] {
                task?.cancel()
                await task?.value
            }
        } catch {
            await rollouts?.stop()
            checkpoints?.cancel()
            retention?.cancel()
            caughtUp?.cancel()
            signInReports?.cancel()
            sessionUpkeep?.cancel()
            forgeWorker?.cancel()
            await forgeWorker?.value
            try? await database.close()
            throw error
        }
        try await database.close()
        logger.info("control plane stopped")
    }

    /// `blastwall admin bootstrap`: creates the first admin in a database and returns its token.
    public static func bootstrap(database url: DatabaseURL, adminName: String, logger: Logger) async throws -> String {
        let database = try await url.open(logger: logger)
        let controlPlane = ControlPlane(database: database, configuration: Configuration(), logger: logger)
        do {
            try await controlPlane.start()
            let issued = try await controlPlane.bootstrap(adminName: adminName)
            try await database.close()
            return issued.token
        } catch {
            try? await database.close()
            throw error
        }
    }
}
