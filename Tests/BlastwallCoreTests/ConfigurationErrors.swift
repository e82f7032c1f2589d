@testable import BlastwallCore

/// The errors loading `yaml` reports, as the user reads them; empty when it loads.
func configurationErrors(_ yaml: String) -> [String] {
    do {
        _ = try ConfigurationLoader.load(yaml: yaml, file: "blastwall.yml")
        return []
    } catch {
        return error.diagnostics.map(\.description)
    }
}
