import BlastwallCore

/// Finds and loads `blastwall.yml` and the CODEOWNERS file it points to.
public enum ConfigurationFile {
    /// Where a configuration is looked for when `--config` is not given, relative to the repository.
    public static let defaultNames = Configuration.fileNames

    public struct Loaded: Sendable {
        public var configuration: Configuration
        public var warnings: [Diagnostic]
        public var path: String
    }

    /// Loads `path`, or the first default name found under `directory`.
    public static func load(path: String?, directory: String) throws(AnalysisError) -> Loaded {
        let resolved: String
        if let path {
            resolved = path
        } else if let found = defaultNames.map({ LocalFiles.join(directory, $0) }).first(where: LocalFiles.exists) {
            resolved = found
        } else {
            throw .file(
                path: LocalFiles.join(directory, "blastwall.yml"),
                reason: "no configuration found; run 'blastwall init' to write one, or pass --config FILE")
        }
        let text = try LocalFiles.read(resolved)
        let displayName = displayPath(resolved, relativeTo: directory)
        return try load(text: text, displayName: displayName, path: resolved) { (codeownersPath) throws(AnalysisError) -> String? in
            let full = LocalFiles.join(directory, codeownersPath)
            return LocalFiles.exists(full) ? try LocalFiles.read(full) : nil
        }
    }

    /// Loads a configuration from its text; `readFile` gives the text of the codeowners file it names (nil
    /// when missing), from the working tree or from a commit.
    public static func load(
        text: String, displayName: String, path: String, readFile: (String) throws(AnalysisError) -> String?
    ) throws(AnalysisError) -> Loaded {
        let parsed = try parse(text: text, displayName: displayName, path: path)
        let codeowners = try parsed.configuration.codeownersPath.flatMap { (name) throws(AnalysisError) in try readFile(name) }
        return try attach(codeowners: codeowners, to: parsed, displayName: displayName)
    }

    /// The configuration as written, before the codeowners file it names is read.
    /// A snapshot in `ConfigurationCache` stands in for loading the same text again.
    public static func parse(text: String, displayName: String, path: String) throws(AnalysisError) -> Loaded {
        let cached = ConfigurationCache.path(for: text)
        if let cached, let bytes = ConfigurationCache.snapshot(at: cached),
            let (configuration, warnings) = ConfigurationSnapshot.decode(bytes, file: displayName)
        {
            return Loaded(configuration: configuration, warnings: warnings, path: path)
        }
        do {
            let (configuration, warnings) = try ConfigurationLoader.load(yaml: text, file: displayName)
            if let cached {
                ConfigurationCache.store(ConfigurationSnapshot.encode(configuration, warnings: warnings, file: displayName), at: cached)
            }
            return Loaded(configuration: configuration, warnings: warnings, path: path)
        } catch {
            throw .configuration(error)
        }
    }

    /// Completes a parsed configuration with the text of the codeowners file it names (nil when missing).
    public static func attach(codeowners text: String?, to parsed: Loaded, displayName: String) throws(AnalysisError) -> Loaded {
        var loaded = parsed
        do {
            if let codeownersPath = loaded.configuration.codeownersPath {
                guard let text else {
                    throw ConfigurationError(diagnostics: [
                        Diagnostic(
                            .error, "codeowners file '\(codeownersPath)' does not exist (paths are relative to the repository root)",
                            at: SourceLocation(file: displayName, line: 1, column: 1))
                    ])
                }
                loaded.configuration.codeowners = try Codeowners(text: text, path: codeownersPath)
            }
        } catch let error as ConfigurationError {
            throw .configuration(error)
        } catch {
            throw .file(path: parsed.path, reason: "\(error)")
        }
        loaded.warnings += Self.ownershipWarnings(loaded.configuration, file: displayName)
        return loaded
    }

    private static func ownershipWarnings(_ configuration: Configuration, file: String) -> [Diagnostic] {
        guard configuration.codeowners == nil else { return [] }
        return configuration.services.filter(\.owners.isEmpty).map {
            Diagnostic(
                .warning, "service '\($0.name)' has no owners and no codeowners file is configured",
                at: $0.pathLocations.first ?? SourceLocation(file: file, line: 1, column: 1))
        }
    }

    public static func displayPath(_ path: String, relativeTo directory: String) -> String {
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }
}
