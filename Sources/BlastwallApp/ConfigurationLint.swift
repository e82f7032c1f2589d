import BlastwallAnalysis
import BlastwallCore

/// `blastwall config lint`: loads and validates the configuration without a change.
public enum ConfigurationLint {
    public struct Summary: Sendable {
        public var path: String
        public var warnings: [Diagnostic]
        public var services: Int
        public var rules: Int
        public var freezes: Int
    }

    public static func run(configPath: String?, repository: String) throws(BlastwallError) -> Summary {
        let loaded = try ConfigurationFile.loadForCommand(path: configPath, directory: repository)
        return Summary(
            path: loaded.path, warnings: loaded.warnings, services: loaded.configuration.services.count,
            rules: loaded.configuration.rules.count, freezes: loaded.configuration.freezes.count)
    }
}
