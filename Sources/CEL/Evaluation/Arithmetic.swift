/// Arithmetic with CEL's rules: integer overflow and division by zero are errors, doubles follow IEEE 754.
enum Arithmetic {
    static func add(_ a: Value, _ b: Value) throws(EvalError) -> Value {
        switch (a, b) {
        case let (.int(x), .int(y)):
            let (sum, overflow) = x.addingReportingOverflow(y)
            if overflow { throw overflowError("+", a, b) }
            return .int(sum)
        case let (.uint(x), .uint(y)):
            let (sum, overflow) = x.addingReportingOverflow(y)
            if overflow { throw overflowError("+", a, b) }
            return .uint(sum)
        case let (.double(x), .double(y)): return .double(x + y)
        case let (.string(x), .string(y)): return .string(x + y)
        case let (.bytes(x), .bytes(y)): return .bytes(x + y)
        case let (.list(x), .list(y)): return .list(x + y)
        case let (.timestamp(t), .duration(d)), let (.duration(d), .timestamp(t)):
            guard let result = Timestamp(nanoseconds: t.nanoseconds + d.nanoseconds) else { throw overflowError("+", a, b) }
            return .timestamp(result)
        case let (.duration(x), .duration(y)):
            guard let result = Duration(nanoseconds: x.nanoseconds + y.nanoseconds) else { throw overflowError("+", a, b) }
            return .duration(result)
        default: throw EvalError.noOverload(Operator.add, [a, b])
        }
    }

    static func subtract(_ a: Value, _ b: Value) throws(EvalError) -> Value {
        switch (a, b) {
        case let (.int(x), .int(y)):
            let (difference, overflow) = x.subtractingReportingOverflow(y)
            if overflow { throw overflowError("-", a, b) }
            return .int(difference)
        case let (.uint(x), .uint(y)):
            let (difference, overflow) = x.subtractingReportingOverflow(y)
            if overflow { throw overflowError("-", a, b) }
            return .uint(difference)
        case let (.double(x), .double(y)): return .double(x - y)
        case let (.timestamp(x), .timestamp(y)):
            guard let result = Duration(nanoseconds: x.nanoseconds - y.nanoseconds) else { throw overflowError("-", a, b) }
            return .duration(result)
        case let (.timestamp(t), .duration(d)):
            guard let result = Timestamp(nanoseconds: t.nanoseconds - d.nanoseconds) else { throw overflowError("-", a, b) }
            return .timestamp(result)
        case let (.duration(x), .duration(y)):
            guard let result = Duration(nanoseconds: x.nanoseconds - y.nanoseconds) else { throw overflowError("-", a, b) }
            return .duration(result)
        default: throw EvalError.noOverload(Operator.subtract, [a, b])
        }
    }

    static func multiply(_ a: Value, _ b: Value) throws(EvalError) -> Value {
        switch (a, b) {
        case let (.int(x), .int(y)):
            let (product, overflow) = x.multipliedReportingOverflow(by: y)
            if overflow { throw overflowError("*", a, b) }
            return .int(product)
        case let (.uint(x), .uint(y)):
            let (product, overflow) = x.multipliedReportingOverflow(by: y)
            if overflow { throw overflowError("*", a, b) }
            return .uint(product)
        case let (.double(x), .double(y)): return .double(x * y)
        default: throw EvalError.noOverload(Operator.multiply, [a, b])
        }
    }

    static func divide(_ a: Value, _ b: Value) throws(EvalError) -> Value {
        switch (a, b) {
        case let (.int(x), .int(y)):
            if y == 0 { throw EvalError(.divisionByZero, "division by zero") }
            let (quotient, overflow) = x.dividedReportingOverflow(by: y)
            if overflow { throw overflowError("/", a, b) }
            return .int(quotient)
        case let (.uint(x), .uint(y)):
            if y == 0 { throw EvalError(.divisionByZero, "division by zero") }
            return .uint(x / y)
        case let (.double(x), .double(y)): return .double(x / y)
        default: throw EvalError.noOverload(Operator.divide, [a, b])
        }
    }

    static func modulo(_ a: Value, _ b: Value) throws(EvalError) -> Value {
        switch (a, b) {
        case let (.int(x), .int(y)):
            if y == 0 { throw EvalError(.divisionByZero, "modulus by zero") }
            let (remainder, overflow) = x.remainderReportingOverflow(dividingBy: y)
            if overflow { throw overflowError("%", a, b) }
            return .int(remainder)
        case let (.uint(x), .uint(y)):
            if y == 0 { throw EvalError(.divisionByZero, "modulus by zero") }
            return .uint(x % y)
        default: throw EvalError.noOverload(Operator.modulo, [a, b])
        }
    }

    static func negate(_ a: Value) throws(EvalError) -> Value {
        switch a {
        case .int(let x):
            guard x != .min else { throw EvalError(.overflow, "integer overflow: -(\(x))") }
            return .int(-x)
        case .double(let x): return .double(-x)
        case .duration(let d): return .duration(Duration(nanoseconds: -d.nanoseconds)!)
        default: throw EvalError.noOverload(Operator.negate, [a])
        }
    }

    private static func overflowError(_ symbol: String, _ a: Value, _ b: Value) -> EvalError {
        EvalError(.overflow, "overflow: \(a.debugDescription) \(symbol) \(b.debugDescription) is out of range")
    }
}
