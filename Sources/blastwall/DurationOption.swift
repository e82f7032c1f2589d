import ArgumentParser
import BlastwallApp

/// Durations given as options, in one syntax everywhere: `3s`, `10m`, `1h30m` (CEL's `duration()`).
enum DurationOption {
    /// The duration `text` names; a usage error naming `option` otherwise, with the unit a bare number lacks.
    static func parse(_ text: String, _ option: String) throws -> Duration {
        guard let duration = DurationParsing.parse(text), duration > .zero else {
            if let number = Double(text), number > 0 {
                throw ValidationError("\(option) '\(text)' has no unit: write \(text)s (or \(text)m, \(text)h)")
            }
            throw ValidationError("\(option) must be a positive duration such as 10s, 5m or 1h30m, not '\(text)'")
        }
        return duration
    }
}
