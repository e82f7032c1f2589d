import LinearRegex

/// Overload resolution for operators and standard functions.
extension Checker {
    /// Functions that take a receiver (`x.f()`), with the receiver types they accept and their result.
    static let receiverFunctions: [String: (receivers: [CELType], arguments: [CELType], result: CELType)] = [
        "contains": ([.string], [.string], .bool),
        "startsWith": ([.string], [.string], .bool),
        "endsWith": ([.string], [.string], .bool),
        "matches": ([.string], [.string], .bool),
        "lowerAscii": ([.string], [], .string),
        "upperAscii": ([.string], [], .string),
    ]

    static let timeAccessors: Set<String> = [
        "getFullYear", "getMonth", "getDate", "getDayOfMonth", "getDayOfYear", "getDayOfWeek",
        "getHours", "getMinutes", "getSeconds", "getMilliseconds",
    ]

    /// Conversion functions and the argument types each accepts.
    static let conversions: [String: (accepts: [CELType], result: CELType)] = [
        "int": ([.int, .uint, .double, .string, .timestamp], .int),
        "uint": ([.int, .uint, .double, .string], .uint),
        "double": ([.int, .uint, .double, .string], .double),
        "string": ([.int, .uint, .double, .bool, .string, .bytes, .timestamp, .duration], .string),
        "bytes": ([.string, .bytes], .bytes),
        "bool": ([.bool, .string], .bool),
        "timestamp": ([.string, .int, .timestamp], .timestamp),
        "duration": ([.string, .duration], .duration),
    ]

    static var knownFunctions: [String] {
        Array(receiverFunctions.keys) + Array(conversions.keys) + Array(timeAccessors) + ["size", "dyn", "type", "has"]
    }

    mutating func callType(
        _ function: String, target: CELType?, arguments: [CELType], argumentExprs: [Expr], at position: SourcePosition
    ) -> CELType {
        let all = (target.map { [$0] } ?? []) + arguments
        func fail() -> CELType {
            let types = all.map(\.description).joined(separator: ", ")
            report("found no matching overload for '\(Operator.display(function))' applied to '(\(types))'", at: position)
            return .dyn
        }
        switch function {
        case Operator.and, Operator.or:
            return all.allSatisfy { $0.isAssignable(to: .bool) } ? .bool : fail()
        case Operator.not:
            return all[0].isAssignable(to: .bool) ? .bool : fail()
        case Operator.conditional:
            guard all[0].isAssignable(to: .bool) else { return fail() }
            return all[1].joined(with: all[2])
        case Operator.equals, Operator.notEquals:
            return Self.comparableForEquality(all[0], all[1]) ? .bool : fail()
        case Operator.less, Operator.lessOrEqual, Operator.greater, Operator.greaterOrEqual:
            return Self.ordered(all[0], all[1]) ? .bool : fail()
        case Operator.add, Operator.subtract, Operator.multiply, Operator.divide, Operator.modulo:
            return Self.arithmeticResult(function, all[0], all[1]) ?? fail()
        case Operator.negate:
            return [.int, .double, .duration, .dyn].contains(all[0]) ? all[0] : fail()
        case Operator.in:
            switch all[1] {
            case .list(let element): return Self.comparableForEquality(all[0], element) ? .bool : fail()
            case .map(let key, _): return Self.comparableForEquality(all[0], key) ? .bool : fail()
            case .dyn: return .bool
            default: return fail()
            }
        case Operator.index:
            switch all[0] {
            case .list(let element): return [.int, .uint, .dyn].contains(all[1]) ? element : fail()
            case .map(let key, let value): return Self.comparableForEquality(all[1], key) ? value : fail()
            case .dyn: return .dyn
            default: return fail()
            }
        case "size":
            guard all.count == 1 else { return fail() }
            switch all[0] {
            case .string, .bytes, .list, .map, .dyn: return .int
            default: return fail()
            }
        case "dyn":
            return target == nil && arguments.count == 1 ? .dyn : fail()
        case "type":
            return target == nil && arguments.count == 1 ? .type : fail()
        default:
            break
        }
        if let conversion = Self.conversions[function] {
            guard target == nil, arguments.count == 1 else { return fail() }
            guard arguments[0] == .dyn || conversion.accepts.contains(arguments[0]) else { return fail() }
            validateLiteralArgument(of: function, argumentExprs[0])
            return conversion.result
        }
        if let signature = Self.receiverFunctions[function] {
            // matches() is also callable globally: matches(text, pattern).
            let receiver = target ?? (function == "matches" && arguments.count == 2 ? arguments[0] : nil)
            let rest = target == nil ? Array(arguments.dropFirst()) : arguments
            guard let receiver, rest.count == signature.arguments.count,
                receiver == .dyn || signature.receivers.contains(receiver),
                zip(rest, signature.arguments).allSatisfy({ $0.isAssignable(to: $1) })
            else { return fail() }
            if function == "matches", let pattern = argumentExprs.last { validateLiteralArgument(of: function, pattern) }
            return signature.result
        }
        if Self.timeAccessors.contains(function) {
            guard let target, [.timestamp, .duration, .dyn].contains(target), arguments.count <= 1 else { return fail() }
            return .int
        }
        report(
            "undeclared function '\(function)'\(Self.functionHint(for: function))",
            at: position)
        return .dyn
    }

    /// Literal arguments to `timestamp()`, `duration()` and `matches()` are validated before any evaluation.
    private mutating func validateLiteralArgument(of function: String, _ argument: Expr) {
        guard case .literal(.string(let text), let position) = argument else { return }
        switch function {
        case "timestamp" where Timestamp(rfc3339: text) == nil:
            report("invalid timestamp \(Value.quote(text)): expected RFC 3339, such as \"2026-11-23T10:00:00Z\"", at: position)
        case "duration" where Duration(parsing: text) == nil:
            report("invalid duration \(Value.quote(text)): expected a form such as \"90s\", \"1h30m\" or \"250ms\"", at: position)
        case "matches":
            do { _ = try LinearRegex(text) } catch { report("invalid regular expression \(Value.quote(text)): \(error)", at: position) }
        default: break
        }
    }

    static func comparableForEquality(_ a: CELType, _ b: CELType) -> Bool {
        a.isAssignable(to: b) || b.isAssignable(to: a) || (a.isNumeric && b.isNumeric) || a == .null || b == .null
    }

    static func ordered(_ a: CELType, _ b: CELType) -> Bool {
        if a == .dyn || b == .dyn { return true }
        if a.isNumeric && b.isNumeric { return true }
        return a == b && [.string, .bytes, .bool, .timestamp, .duration].contains(a)
    }

    static func arithmeticResult(_ function: String, _ a: CELType, _ b: CELType) -> CELType? {
        switch (function, a, b) {
        case (_, .dyn, .dyn): return .dyn
        case (Operator.add, .timestamp, .duration), (Operator.add, .duration, .timestamp): return .timestamp
        case (Operator.subtract, .timestamp, .timestamp): return .duration
        case (Operator.subtract, .timestamp, .duration): return .timestamp
        case (Operator.add, .duration, .duration), (Operator.subtract, .duration, .duration): return .duration
        case (Operator.add, .list(let x), .list(let y)): return .list(x.joined(with: y))
        case (Operator.add, .string, .string), (Operator.add, .bytes, .bytes): return a
        case (Operator.modulo, .double, _), (Operator.modulo, _, .double): return nil
        case (_, .int, .int), (_, .uint, .uint), (_, .double, .double): return a
        case (_, .dyn, let known), (_, let known, .dyn):
            switch known {
            case .int, .uint, .double: return known
            case .string, .bytes, .list: return function == Operator.add ? known : nil
            case .timestamp, .duration: return function == Operator.add || function == Operator.subtract ? .dyn : nil
            default: return nil
            }
        default: return nil
        }
    }

}
