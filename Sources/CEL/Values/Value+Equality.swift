extension Value {
    /// CEL equality: structural for lists and maps, numeric across int, uint and double, false across other types.
    public func celEquals(_ other: Value) -> Bool {
        switch (self, other) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.bytes(let a), .bytes(let b)): return a == b
        case (.timestamp(let a), .timestamp(let b)): return a == b
        case (.duration(let a), .duration(let b)): return a == b
        case (.type(let a), .type(let b)): return a == b
        case (.list(let a), .list(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.celEquals($1) }
        case (.map(let a), .map(let b)):
            guard a.count == b.count else { return false }
            return a.entries.allSatisfy { entry in b[entry.key].map { $0.celEquals(entry.value) } ?? false }
        default:
            if let order = Value.numericOrder(self, other) { return order == 0 }
            return false
        }
    }

    /// Orders two numbers of any numeric types exactly; nil when either is not a number or is NaN.
    static func numericOrder(_ a: Value, _ b: Value) -> Int? {
        func sign<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : (x > y ? 1 : 0) }
        switch (a, b) {
        case (.int(let x), .int(let y)): return sign(x, y)
        case (.uint(let x), .uint(let y)): return sign(x, y)
        case (.double(let x), .double(let y)): return x.isNaN || y.isNaN ? nil : sign(x, y)
        case (.int(let x), .uint(let y)): return sign(Int128(x), Int128(y))
        case (.uint(let x), .int(let y)): return sign(Int128(x), Int128(y))
        case (.int(let x), .double(let y)): return compareIntegerToDouble(Int128(x), y)
        case (.uint(let x), .double(let y)): return compareIntegerToDouble(Int128(x), y)
        case (.double(let x), .int(let y)): return compareIntegerToDouble(Int128(y), x).map { -$0 }
        case (.double(let x), .uint(let y)): return compareIntegerToDouble(Int128(y), x).map { -$0 }
        default: return nil
        }
    }

    private static func compareIntegerToDouble(_ integer: Int128, _ double: Double) -> Int? {
        if double.isNaN { return nil }
        if double >= 1.8e19 { return -1 }
        if double <= -1.8e19 { return 1 }
        let whole = Int128(double.rounded(.down))
        if integer < whole { return -1 }
        if integer > whole { return 1 }
        return double > double.rounded(.down) ? -1 : 0
    }

    /// Orders values of comparable types (numbers, strings, bytes, bools, timestamps, durations).
    func compare(to other: Value, function: String) throws(EvalError) -> Int {
        func sign<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : (x > y ? 1 : 0) }
        switch (self, other) {
        case (.string(let a), .string(let b)):
            // CEL orders strings by code point, which UTF-8 byte order preserves.
            return a.utf8.lexicographicallyPrecedes(b.utf8) ? -1 : (a == b ? 0 : 1)
        case (.bytes(let a), .bytes(let b)): return a.lexicographicallyPrecedes(b) ? -1 : (a == b ? 0 : 1)
        case (.bool(let a), .bool(let b)): return a == b ? 0 : (a ? 1 : -1)
        case (.timestamp(let a), .timestamp(let b)): return sign(a, b)
        case (.duration(let a), .duration(let b)): return sign(a, b)
        default:
            if let order = Value.numericOrder(self, other) { return order }
            if self.type.isNumeric && other.type.isNumeric { return 2 }  // NaN: every comparison is false
            throw EvalError.noOverload(function, [self, other])
        }
    }
}

extension Value: CustomDebugStringConvertible {
    /// CEL source-like rendering, used in messages and `string()` of containers.
    public var debugDescription: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .uint(let u): return "\(u)u"
        case .double(let d): return Value.format(d)
        case .string(let s): return Value.quote(s)
        case .bytes(let b): return "b" + Value.quote(String(decoding: b, as: UTF8.self))
        case .list(let items): return "[" + items.map(\.debugDescription).joined(separator: ", ") + "]"
        case .map(let map):
            return "{" + map.entries.map { "\($0.key.debugDescription): \($0.value.debugDescription)" }.joined(separator: ", ") + "}"
        case .timestamp(let t): return "timestamp(\"\(t.rfc3339)\")"
        case .duration(let d): return "duration(\"\(d.description)\")"
        case .type(let t): return t.description
        }
    }

    static func quote(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            default:
                if scalar.value < 0x20 {
                    result += "\\x" + (scalar.value < 16 ? "0" : "") + String(scalar.value, radix: 16)
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }

    /// Formats a double the way CEL's `string()` does: shortest form, integers without a fraction.
    static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        if value == value.rounded(), abs(value) < 1e21 {
            let text = String(Int128(value))
            return value == 0 && value.sign == .minus ? "-0" : text
        }
        return value.description
    }
}
