import BlastwallAnalysis

extension ConfigurationFile {
    /// `load(path:directory:)` with the error a command reports.
    static func loadForCommand(path: String?, directory: String) throws(BlastwallError) -> Loaded {
        do {
            return try load(path: path, directory: directory)
        } catch {
            throw .from(error)
        }
    }
}
