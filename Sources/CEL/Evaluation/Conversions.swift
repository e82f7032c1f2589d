/// Type conversion functions: `int()`, `uint()`, `double()`, `string()`, `bytes()`, `bool()`,
/// `timestamp()`, `duration()`, `dyn()` and `type()`.
enum Conversions {
    static func convert(_ value: Value, to function: String) throws(EvalError) -> Value {
        switch function {
        case "int": return try toInt(value)
        case "uint": return try toUInt(value)
        case "double": return try toDouble(value)
        case "string": return try toString(value)
        case "bytes":
            switch value {
            case .bytes: return value
            case .string(let text): return .bytes(Array(text.utf8))
            default: break
            }
        case "bool":
            switch value {
            case .bool: return value
            case .string(let text):
                switch text {
                case "1", "t", "T", "TRUE", "true", "True": return .bool(true)
                case "0", "f", "F", "FALSE", "false", "False": return .bool(false)
                default: throw EvalError(.invalidArgument, "cannot convert \(value.debugDescription) to bool")
                }
            default: break
            }
        case "timestamp":
            switch value {
            case .timestamp: return value
            case .string(let text):
                guard let timestamp = Timestamp(rfc3339: text) else {
                    throw EvalError(
                        .invalidArgument, "invalid timestamp \(value.debugDescription): expected RFC 3339, such as \"2026-11-23T10:00:00Z\""
                    )
                }
                return .timestamp(timestamp)
            case .int(let seconds):
                guard let timestamp = Timestamp(secondsSinceEpoch: seconds) else {
                    throw EvalError(.overflow, "timestamp \(seconds) is out of range")
                }
                return .timestamp(timestamp)
            default: break
            }
        case "duration":
            switch value {
            case .duration: return value
            case .string(let text):
                guard let duration = Duration(parsing: text) else {
                    throw EvalError(
                        .invalidArgument,
                        "invalid duration \(value.debugDescription): expected a form such as \"90s\", \"1h30m\" or \"250ms\"")
                }
                return .duration(duration)
            default: break
            }
        case "dyn": return value
        case "type":
            if case .type = value { return .type(.type) }
            return .type(value.type)
        default: break
        }
        throw EvalError.noOverload(function, [value])
    }

    private static func toInt(_ value: Value) throws(EvalError) -> Value {
        switch value {
        case .int: return value
        case .uint(let u):
            guard u <= UInt64(Int64.max) else { throw EvalError(.overflow, "int() overflow: \(u)u does not fit in int") }
            return .int(Int64(u))
        case .double(let d):
            // The range is exclusive at both ends, as in cel-go: doubles near the limits round to 2^63.
            guard d.isFinite, d > -9.223372036854775808e18, d < 9.223372036854775807e18 else {
                throw EvalError(.overflow, "int() overflow: \(Value.format(d)) does not fit in int")
            }
            return .int(Int64(d))
        case .string(let text):
            guard let parsed = Int64(text) else { throw EvalError(.invalidArgument, "cannot convert \(value.debugDescription) to int") }
            return .int(parsed)
        case .timestamp(let t): return .int(t.secondsSinceEpoch)
        default: throw EvalError.noOverload("int", [value])
        }
    }

    private static func toUInt(_ value: Value) throws(EvalError) -> Value {
        switch value {
        case .uint: return value
        case .int(let i):
            guard i >= 0 else { throw EvalError(.overflow, "uint() overflow: \(i) is negative") }
            return .uint(UInt64(i))
        case .double(let d):
            guard d.isFinite, d > -1, d < 1.8446744073709552e19 else {
                throw EvalError(.overflow, "uint() overflow: \(Value.format(d)) does not fit in uint")
            }
            return .uint(UInt64(d))
        case .string(let text):
            guard let parsed = UInt64(text) else { throw EvalError(.invalidArgument, "cannot convert \(value.debugDescription) to uint") }
            return .uint(parsed)
        default: throw EvalError.noOverload("uint", [value])
        }
    }

    private static func toDouble(_ value: Value) throws(EvalError) -> Value {
        switch value {
        case .double: return value
        case .int(let i): return .double(Double(i))
        case .uint(let u): return .double(Double(u))
        case .string(let text):
            let normalized: String
            switch text.lowercased() {
            case "inf", "+inf", "infinity", "+infinity": normalized = "inf"
            case "-inf", "-infinity": normalized = "-inf"
            case "nan": normalized = "nan"
            default: normalized = text
            }
            guard let parsed = Double(normalized), !normalized.contains(where: { $0 == "_" || $0.isWhitespace }) else {
                throw EvalError(.invalidArgument, "cannot convert \(value.debugDescription) to double")
            }
            return .double(parsed)
        default: throw EvalError.noOverload("double", [value])
        }
    }

    private static func toString(_ value: Value) throws(EvalError) -> Value {
        switch value {
        case .string: return value
        case .int(let i): return .string(String(i))
        case .uint(let u): return .string(String(u))
        case .double(let d): return .string(Value.format(d))
        case .bool(let b): return .string(b ? "true" : "false")
        case .bytes(let bytes):
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw EvalError(.invalidArgument, "bytes are not valid UTF-8 and cannot become a string")
            }
            return .string(text)
        case .timestamp(let t): return .string(t.rfc3339)
        case .duration(let d): return .string(d.description)
        default: throw EvalError.noOverload("string", [value])
        }
    }
}
