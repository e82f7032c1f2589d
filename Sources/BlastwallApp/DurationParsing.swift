import CEL

/// Durations on the command line (`30m`, `90s`, `1h30m`), in the same syntax as CEL's `duration()`.
public enum DurationParsing {
    public static func parse(_ text: String) -> Swift.Duration? {
        guard let parsed = CEL.Duration(parsing: text), parsed.nanoseconds >= 0, parsed.nanoseconds <= Int128(Int64.max) else {
            return nil
        }
        return .nanoseconds(Int64(parsed.nanoseconds))
    }
}
