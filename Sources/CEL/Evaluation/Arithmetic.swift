/// Arithmetic with CEL's rules: integer overflow and division by zero are errors, doubles follow IEEE 754.
enum Arithmetic {
    static func add(_ a: Value, _ b: Value) throws(EvalError) -> Value {
        switch (a, b) {
        case (.int(let x), .int(let y)):
            let (sum, overflow) = x.addingReportingOverflow(y)
            if overflow { throw overflowError("+", a, b) }
            return .int(sum)
        case (.uint(let x), .uint(let y)):
            let (sum, overflow) = x.addingReportingOverflow(y)
            if overflow { throw overflowError("+", a, b) }
            return .uint(sum)
        case (.double(let x), .double(let y)): return .double(x + y)
        case (.string(let x), .string(let y)): return .string(x + y)
        case (.bytes(let x), .bytes(let y)): return .bytes(x + y)
        case (.list(let x), .list(let y)): return .list(x + y)
        case (.timestamp(let t), .duration(let d)), (.duration(let d), .timestamp(let t)):
            guard let result = Timestamp(nanoseconds: t.nanoseconds + d.nanoseconds) else { throw overflowError("+", a, b) }
            return .timestamp(result)
        case (.duration(let x), .duration(let y)):
            guard let result = Duration(nanoseconds: x.nanoseconds + y.nanoseconds) else { throw overflowError("+", a, b) }
            return .duration(result)
        default: throw EvalError.noOverload(Operator.add, [a, b])
        }
    }

    static func subtract(_ a: Value, _ b: Value) throws(EvalError) -> Value {
        switch (a, b) {
        case (.int(let x), .int(let y)):
            let (difference, overflow) = x.subtractingReportingOverflow(y)
            if overflow { throw overflowError("-", a, b) }
            return .int(difference)
        case (.uint(let x), .uint(let y)):
            let (difference, overflow) = x.subtractingReportingOverflow(y)
            if overflow { throw overflowError("-", a, b) }
            return .uint(difference)
        case (.double(let x), .double(let y)): return .double(x - y)
        case (.timestamp(let x), .timestamp(let y)):
            guard let result = Duration(nanoseconds: x.nanoseconds - y.nanoseconds) else { throw overflowError("-", a, b) }
            return .duration(result)
        case (.timestamp(let t), .duration(let d)):
            guard let result = Timestamp(nanoseconds: t.nanoseconds - d.nanoseconds) else { throw overflowError("-", a, b) }
            return .timestamp(result)
        case (.duration(let x), .duration(let y)):
            guard let result = Duration(nanoseconds: x.nanoseconds - y.nanoseconds) else { throw overflowError("-", a, b) }
            return .duration(result)
        default: throw EvalError.noOverload(Operator.subtract, [a, b])
        }
    }

    static func multiply(_ a: Value, _ b: Value) throws(EvalError) -> Value {
        switch (a, b) {
        case (.int(let x), .int(let y)):
            let (product, overflow) = x.multipliedReportingOverflow(by: y)
            if overflow { throw overflowError("*", a, b) }
            return .int(product)
        case (.uint(let x), .uint(let y)):
            let (product, overflow) = x.multipliedReportingOverflow(by: y)
            if overflow { throw overflowError("*", a, b) }
            return .uint(product)
        case (.double(let x), .double(let y)): return .double(x * y)
        default: throw EvalError.noOverload(Operator.multiply, [a, b])
        }
    }

    static func divide(_ a: Value, _ b: Value) throws(EvalError) -> Value {
        switch (a, b) {
        case (.int(let x), .int(let y)):
            if y == 0 { throw EvalError(.divisionByZero, "division by zero") }
            let (quotient, overflow) = x.dividedReportingOverflow(by: y)
            if overflow { throw overflowError("/", a, b) }
            return .int(quotient)
        case (.uint(let x), .uint(let y)):
            if y == 0 { throw EvalError(.divisionByZero, "division by zero") }
            return .uint(x / y)
        case (.double(let x), .double(let y)): return .double(x / y)
        default: throw EvalError.noOverload(Operator.divide, [a, b])
        }
    }

    static func modulo(_ a: Value, _ b: Value) throws(EvalError) -> Value {
        switch (a, b) {
        case (.int(let x), .int(let y)):
            if y == 0 { throw EvalError(.divisionByZero, "modulus by zero") }
            let (remainder, overflow) = x.remainderReportingOverflow(dividingBy: y)
            if overflow { throw overflowError("%", a, b) }
            return .int(remainder)
        case (.uint(let x), .uint(let y)):
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
