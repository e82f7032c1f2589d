/// Accessors on timestamps (UTC only) and durations, e.g. `now.getHours()` or `d.getMinutes()`.
enum TimeFunctions {
    static func accessor(_ function: String, _ arguments: [Value]) throws(EvalError) -> Value {
        if arguments.count == 2 {
            guard case .string(let zone) = arguments[1], ["UTC", "Z", "+00:00", "Etc/UTC"].contains(zone) else {
                throw EvalError(.invalidArgument, "only the UTC time zone is supported in \(function)()")
            }
        }
        guard arguments.count == 1 || arguments.count == 2 else { throw EvalError.noOverload(function, arguments) }
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
        case .duration(let duration) where arguments.count == 1:
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
}
