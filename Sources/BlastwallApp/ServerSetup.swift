import BlastwallAnalysis
import BlastwallAudit
import BlastwallCore
import BlastwallStorage
import Foundation

/// Reading what `blastwall serve` needs from files.
public enum ServerSetup {
    /// The configuration at `path`, or `blastwall.yml` when present, or an empty one.
    public static func configuration(path: String?) throws(BlastwallError) -> Configuration {
        if path == nil && !FileSystem.exists("blastwall.yml") { return Configuration() }
        return try ConfigurationFile.loadForCommand(path: path, directory: ".").configuration
    }

    /// A secret from its file, without the line break editors add; an empty file is refused. `what` says what
    /// the option needs, such as "the webhook's secret (the same one the forge signs with)".
    public static func secret(path: String, option: String, what: String) throws(BlastwallError) -> [UInt8] {
        var bytes = try FileSystem.readBytes(path)
        while let last = bytes.last, last == UInt8(ascii: "\n") || last == UInt8(ascii: "\r") { bytes.removeLast() }
        guard !bytes.isEmpty else { throw .file(path: path, reason: "is empty; \(option) needs \(what)") }
        return bytes
    }

    /// Alertmanager's bearer token, from `--alertmanager-token-file` or `BLASTWALL_ALERTMANAGER_TOKEN`; nil: none.
    public static func alertmanagerToken(
        path: String?, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(BlastwallError) -> String? {
        if let path {
            return String(
                decoding: try secret(path: path, option: "--alertmanager-token-file", what: "the token Alertmanager sends as its bearer"),
                as: UTF8.self)
        }
        return environment["BLASTWALL_ALERTMANAGER_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Where the mirrors of `serve --repository` live when `--mirror-directory` is not given.
    public static func defaultMirrorDirectory(for database: DatabaseURL) -> String {
        switch database {
        case .sqlite(let path): return path + ".mirrors"
        case .postgres: return "blastwall-mirrors"
        }
    }

    /// A `--repository` source as git will read it from the mirror's folder: a local path is made absolute
    /// (git would read `./shop` relative to the mirror), URLs and `host:path` addresses are kept.
    public static func repositorySource(_ source: String) -> String {
        let isAddress = source.contains("://") || (source.firstIndex(of: ":").map { colon in !source[..<colon].contains("/") } ?? false)
        guard !isAddress, !source.hasPrefix("/") else { return source }
        return URL(fileURLWithPath: source, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).standardizedFileURL
            .path
    }

    /// A size such as `2GiB`, `500MiB`, `64KiB` or a number of bytes; nil when unreadable or too large.
    public static func byteSize(_ text: String) -> Int? {
        let units: [(String, Int)] = [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10), ("G", 1 << 30), ("M", 1 << 20), ("K", 1 << 10)]
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            guard let value = Int(text.dropLast(suffix.count)), value >= 0 else { return nil }
            let (product, overflow) = value.multipliedReportingOverflow(by: factor)
            return overflow ? nil : product
        }
        return Int(text)
    }

    /// Where `admin bootstrap` writes the audit checkpoint key and `serve` looks for it when no
    /// `--checkpoint-key` is given: beside a SQLite file, or in the working directory for PostgreSQL.
    public static func defaultCheckpointKeyPath(for database: DatabaseURL) -> String {
        switch database {
        case .sqlite(let path): return path + ".checkpoint-key.pem"
        case .postgres: return "blastwall-checkpoint-key.pem"
        }
    }

    /// The checkpoint key `serve` uses: the one given, else the default file when it exists, else none
    /// (with the reason, for the log).
    public static func checkpointKey(path: String?, database: DatabaseURL) throws(BlastwallError) -> (key: SigningKey?, note: String?) {
        if let path { return (try AuditFiles.signingKey(path), nil) }
        let fallback = defaultCheckpointKeyPath(for: database)
        guard FileSystem.exists(fallback) else {
            return (
                nil,
                "no audit checkpoint key at \(fallback): give --checkpoint-key, or create one with 'blastwall keygen --out \(fallback)'"
            )
        }
        return (try AuditFiles.signingKey(fallback), nil)
    }

    /// At bootstrap: a new checkpoint key at `path` (or the default place), unless a key is already there.
    public static func ensureCheckpointKey(path: String?, database: DatabaseURL) throws(BlastwallError) -> (path: String, created: Bool) {
        let target = path ?? defaultCheckpointKeyPath(for: database)
        if FileSystem.exists(target) {
            _ = try AuditFiles.signingKey(target)
            return (target, false)
        }
        _ = try AuditFiles.generateKey(path: target)
        return (target, true)
    }
}
