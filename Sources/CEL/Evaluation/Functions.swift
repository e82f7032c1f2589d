/// The runtime implementations of CEL's operators and standard functions.
enum Functions {
    static func apply(_ function: String, _ arguments: [Value], receiverStyle: Bool) throws(EvalError) -> Value {
        switch (function, arguments.count) {
        case (Operator.add, 2): return try Arithmetic.add(arguments[0], arguments[1])
        case (Operator.subtract, 2): return try Arithmetic.subtract(arguments[0], arguments[1])
        case (Operator.multiply, 2): return try Arithmetic.multiply(arguments[0], arguments[1])
        case (Operator.divide, 2): return try Arithmetic.divide(arguments[0], arguments[1])
        case (Operator.modulo, 2): return try Arithmetic.modulo(arguments[0], arguments[1])
        case (Operator.negate, 1): return try Arithmetic.negate(arguments[0])
        case (Operator.not, 1):
            guard case .bool(let flag) = arguments[0] else { throw EvalError.noOverload(function, arguments) }
            return .bool(!flag)
        case (Operator.equals, 2): return .bool(arguments[0].celEquals(arguments[1]))
        case (Operator.notEquals, 2): return .bool(!arguments[0].celEquals(arguments[1]))
        case (Operator.less, 2): return .bool(try arguments[0].compare(to: arguments[1], function: function) == -1)
        case (Operator.lessOrEqual, 2):
            return .bool([-1, 0].contains(try arguments[0].compare(to: arguments[1], function: function)))
        case (Operator.greater, 2): return .bool(try arguments[0].compare(to: arguments[1], function: function) == 1)
        case (Operator.greaterOrEqual, 2):
            return .bool([1, 0].contains(try arguments[0].compare(to: arguments[1], function: function)))
        case (Operator.in, 2): return try membership(arguments[0], in: arguments[1])
        case (Operator.index, 2): return try index(arguments[0], arguments[1])
        case ("size", 1): return try size(arguments[0])
        case ("contains", 2), ("startsWith", 2), ("endsWith", 2), ("matches", 2):
            return try StringFunctions.test(function, arguments[0], arguments[1])
        case ("lowerAscii", 1), ("upperAscii", 1):
            guard receiverStyle, case .string(let text) = arguments[0] else { throw EvalError.noOverload(function, arguments) }
            return .string(StringFunctions.changeASCIICase(text, upper: function == "upperAscii"))
        case ("int", 1), ("uint", 1), ("double", 1), ("string", 1), ("bytes", 1), ("bool", 1),
            ("timestamp", 1), ("duration", 1), ("dyn", 1), ("type", 1):
            guard !receiverStyle else { throw EvalError.noOverload(function, arguments) }
            return try Conversions.convert(arguments[0], to: function)
        default:
            if function.hasPrefix("get"), receiverStyle {
                return try TimeFunctions.accessor(function, arguments)
            }
            throw EvalError.noOverload(function, arguments)
        }
    }

    private static func size(_ value: Value) throws(EvalError) -> Value {
        switch value {
        case .string(let text): return .int(Int64(text.unicodeScalars.count))
        case .bytes(let bytes): return .int(Int64(bytes.count))
        case .list(let items): return .int(Int64(items.count))
        case .map(let map): return .int(Int64(map.count))
        default: throw EvalError.noOverload("size", [value])
        }
    }

    private static func membership(_ element: Value, in container: Value) throws(EvalError) -> Value {
        switch container {
        case .list(let items): return .bool(items.contains { $0.celEquals(element) })
        case .map(let map): return .bool(map[element] != nil)
        default: throw EvalError.noOverload(Operator.in, [element, container])
        }
    }

    private static func index(_ container: Value, _ key: Value) throws(EvalError) -> Value {
        switch container {
        case .list(let items):
            let position: Int64
            switch key {
            case .int(let i): position = i
            case .uint(let u): position = u > UInt64(Int64.max) ? Int64.max : Int64(u)
            case .double(let d) where d.rounded() == d && abs(d) < 9.2e18: position = Int64(d)
            default: throw EvalError.noOverload(Operator.index, [container, key])
            }
            guard position >= 0, position < items.count else {
                throw EvalError(.indexOutOfRange, "index out of range: \(position) (list has \(items.count) elements)")
            }
            return items[Int(position)]
        case .map(let map):
            guard MapKey(key) != nil || key.type == .double else { throw EvalError.noOverload(Operator.index, [container, key]) }
            guard let value = map[key] else { throw EvalError(.noSuchKey, "no such key: \(key.debugDescription)") }
            return value
        default:
            throw EvalError.noOverload(Operator.index, [container, key])
        }
    }
}

extension Functions {
    /// The units a call costs beyond evaluating its arguments: what it has to walk or copy.
    static func cost(_ function: String, _ arguments: [Value]) -> Int {
        switch function {
        case "matches":
            guard arguments.count == 2, case .string(let text) = arguments[0], case .string(let pattern) = arguments[1] else { return 0 }
            // The linear-time engine visits each scalar once per instruction; instructions grow with the pattern.
            return text.utf8.count * max(pattern.utf8.count, 1) / 10
        case Operator.in:
            guard arguments.count == 2, case .list(let items) = arguments[1] else { return 0 }
            return items.count
        case "size", Operator.index, Operator.not, Operator.negate, Operator.less, Operator.lessOrEqual, Operator.greater,
            Operator.greaterOrEqual:
            return 0
        default:
            return arguments.reduce(0) { $0 + $1.traversalCost }
        }
    }
}
