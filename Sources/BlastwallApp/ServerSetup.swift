import BlastwallCore

/// Reading what `blastwall serve` needs from files.
public enum ServerSetup {
    /// The configuration at `path`, or `blastwall.yml` when present, or an empty one.
    public static func configuration(path: String?) throws(BlastwallError) -> Configuration {
        if path == nil && !FileSystem.exists("blastwall.yml") { return Configuration() }
        return try ConfigurationFile.load(path: path, directory: ".").configuration
    }
}
