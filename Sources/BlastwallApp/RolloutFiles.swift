import BlastwallCore

/// Rollout files read from disk, with the parser's positioned errors.
public enum RolloutFiles {
    public static func read(_ path: String) throws(BlastwallError) -> RolloutSpec {
        let text = try FileSystem.read(path)
        do {
            return try RolloutSpecParser.parse(text, file: path)
        } catch {
            throw .configuration(error)
        }
    }
}
