import LinearRegex

/// `contains`, `startsWith`, `endsWith`, `matches`, `lowerAscii` and `upperAscii`.
enum StringFunctions {
    static func test(_ function: String, _ subject: Value, _ argument: Value) throws(EvalError) -> Value {
        guard case .string(let text) = subject, case .string(let other) = argument else {
            throw EvalError.noOverload(function, [subject, argument])
        }
        switch function {
        case "contains": return .bool(other.isEmpty || text.utf8.firstRange(of: other.utf8) != nil)
        case "startsWith": return .bool(text.utf8.starts(with: other.utf8))
        case "endsWith": return .bool(text.utf8.reversed().starts(with: other.utf8.reversed()))
        default: return .bool(try matches(text, pattern: other))
        }
    }

    /// RE2 search semantics in linear time: true when the pattern matches anywhere in the text.
    static func matches(_ text: String, pattern: String) throws(EvalError) -> Bool {
        let regex: LinearRegex
        do {
            regex = try LinearRegex(pattern)
        } catch {
            throw EvalError(.invalidArgument, "invalid regular expression \(Value.quote(pattern)): \(error)")
        }
        return regex.matches(in: text)
    }

    static func changeASCIICase(_ text: String, upper: Bool) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if upper, scalar.value >= 0x61, scalar.value <= 0x7A {
                scalars.append(UnicodeScalar(scalar.value - 32)!)
            } else if !upper, scalar.value >= 0x41, scalar.value <= 0x5A {
                scalars.append(UnicodeScalar(scalar.value + 32)!)
            } else {
                scalars.append(scalar)
            }
        }
        return String(scalars)
    }
}
