/// Accessors on timestamps (UTC only) and durations, e.g. `now.getHours()` or `d.getMinutes()`.
enum TimeFunctions {
    static func accessor(_ function: String, _ arguments: [Value]) throws(EvalError) -> Value {
        guard arguments.count == 1 || arguments.count == 2 else { throw EvalError.noOverload(function, arguments) }
        var offsetSeconds = 0
        if arguments.count == 2 {
            guard case .string(let zone) = arguments[1], case .timestamp = arguments[0] else {
                throw EvalError.noOverload(function, arguments)
            }
            guard let offset = utcOffset(zone) else {
                throw EvalError(.invalidArgument, "unsupported time zone '\(zone)': use UTC or a fixed offset such as '+02:00'")
            }
            offsetSeconds = offset
        }
        var arguments = arguments
        if offsetSeconds != 0, case .timestamp(let timestamp) = arguments[0] {
            arguments[0] = .timestamp(Timestamp(nanoseconds: timestamp.nanoseconds + Int128(offsetSeconds) * 1_000_000_000) ?? timestamp)
        }
        switch arguments[0] {
        case .timestamp(let timestamp):
            let c = timestamp.components
            switch function {
            case "getFullYear": return .int(Int64(c.year))
            case "getMonth": return .int(Int64(c.month - 1))
            case "getDate": return .int(Int64(c.day))
            case "getDayOfMonth": return .int(Int64(c.day - 1))
            case "getDayOfYear": return .int(Int64(c.dayOfYear))
            case "getDayOfWeek": return .int(Int64(c.dayOfWeek))
            case "getHours": return .int(Int64(c.hour))
            case "getMinutes": return .int(Int64(c.minute))
            case "getSeconds": return .int(Int64(c.second))
            case "getMilliseconds": return .int(Int64(c.millisecond))
            default: break
            }
        case .duration(let duration):
            let nanos = duration.nanoseconds
            switch function {
            case "getHours": return .int(Int64(nanos / 3_600_000_000_000))
            case "getMinutes": return .int(Int64(nanos / 60_000_000_000))
            case "getSeconds": return .int(Int64(nanos / 1_000_000_000))
            case "getMilliseconds": return .int(Int64(nanos % 1_000_000_000 / 1_000_000))
            default: break
            }
        default: break
        }
        throw EvalError.noOverload(function, arguments)
    }

    /// Seconds east of UTC for `UTC`, `Z` or a fixed offset `[+-]HH:MM`; named zones other than UTC are not supported.
    static func utcOffset(_ zone: String) -> Int? {
        if ["UTC", "Z", "Etc/UTC", "GMT"].contains(zone) { return 0 }
        var text = Substring(zone)
        var sign = 1
        if text.first == "+" || text.first == "-" {
            sign = text.first == "-" ? -1 : 1
            text = text.dropFirst()
        }
        let parts = text.split(separator: ":")
        guard parts.count == 2, parts.allSatisfy({ $0.count == 2 }), let hours = Int(parts[0]), let minutes = Int(parts[1]),
            hours < 24, minutes < 60
        else { return nil }
        return sign * (hours * 3600 + minutes * 60)
    }
}
