/// Evaluates parsed expressions, following CEL's semantics for errors, short-circuiting and overflow.
public struct Evaluator {
    private let budget: CostBudget

    /// `costLimit` bounds the work of one `evaluate` call; see `CostBudget`.
    public init(costLimit: Int = Program.defaultCostLimit) {
        budget = CostBudget(limit: costLimit)
    }

    /// Evaluates `expr`; errors raised by absorbed branches of `&&`, `||` and quantifiers do not escape.
    public func evaluate(_ expr: Expr, _ activation: Activation) throws(EvalError) -> Value {
        do throws(EvalError) {
            return try eval(expr, activation)
        } catch var error {
            if error.position == nil { error.position = expr.position }
            throw error
        }
    }

    private func eval(_ expr: Expr, _ activation: Activation) throws(EvalError) -> Value {
        try budget.charge(1)
        switch expr {
        case .literal(let literal, _):
            return literal.value
        case .identifier(let name, let position):
            if let value = activation[name] { return value }
            if let type = Self.typeIdentifiers[name] { return .type(type) }
            throw EvalError(.unboundVariable, "no such attribute: '\(name)'", at: position)
        case .select(let operand, let field, let testOnly, let position):
            if !testOnly, let name = Self.qualifiedName(expr), activation[name.split(separator: ".")[0].description] == nil,
                let type = Self.typeIdentifiers[name]
            {
                return .type(type)
            }
            return try select(try eval(operand, activation), field: field, testOnly: testOnly, at: position)
        case .list(let items, _):
            var values: [Value] = []
            values.reserveCapacity(items.count)
            for item in items { values.append(try eval(item, activation)) }
            return .list(values)
        case .map(let entries, let position):
            var map = MapValue()
            for entry in entries {
                let key = try eval(entry.key, activation)
                let value = try eval(entry.value, activation)
                do { try map.insert(key, value) } catch { throw EvalError(error.kind, error.message, at: position) }
            }
            return .map(map)
        case .comprehension(let comprehension, let position):
            return try evaluate(comprehension, activation, at: position)
        case .call(let function, let target, let arguments, let position):
            do throws(EvalError) {
                return try call(function, target: target, arguments: arguments, activation)
            } catch var error {
                if error.position == nil { error.position = position }
                throw error
            }
        }
    }

    /// `a.b.c` as a dotted name when the expression is only identifiers and selections.
    static func qualifiedName(_ expr: Expr) -> String? {
        switch expr {
        case .identifier(let name, _): return name
        case .select(let operand, let field, false, _): return qualifiedName(operand).map { "\($0).\(field)" }
        default: return nil
        }
    }

    static let typeIdentifiers: [String: CELType] = [
        "int": .int, "uint": .uint, "double": .double, "bool": .bool, "string": .string, "bytes": .bytes,
        "list": .list(.dyn), "map": .map(.dyn, .dyn), "null_type": .null, "type": .type, "dyn": .dyn,
        "google.protobuf.Timestamp": .timestamp, "google.protobuf.Duration": .duration,
    ]

    private func select(_ operand: Value, field: String, testOnly: Bool, at position: SourcePosition) throws(EvalError) -> Value {
        guard case .map(let map) = operand else {
            throw EvalError(.noSuchField, "type '\(operand.typeName)' has no fields; cannot select '\(field)'", at: position)
        }
        if testOnly { return .bool(map[field] != nil) }
        guard let value = map[field] else { throw EvalError(.noSuchKey, "no such key: '\(field)'", at: position) }
        return value
    }

    private func call(_ function: String, target: Expr?, arguments: [Expr], _ activation: Activation) throws(EvalError) -> Value {
        switch function {
        case Operator.and: return try logical(arguments, activation, shortCircuitOn: false)
        case Operator.or: return try logical(arguments, activation, shortCircuitOn: true)
        case Operator.conditional:
            let condition = try eval(arguments[0], activation)
            guard case .bool(let flag) = condition else { throw EvalError.noOverload(function, [condition]) }
            return try eval(arguments[flag ? 1 : 2], activation)
        default:
            var values: [Value] = []
            values.reserveCapacity(arguments.count + 1)
            if let target { values.append(try eval(target, activation)) }
            for argument in arguments { values.append(try eval(argument, activation)) }
            try budget.charge(Functions.cost(function, values))
            return try Functions.apply(function, values, receiverStyle: target != nil)
        }
    }

    /// `&&` and `||` are commutative over errors: a decisive value on either side wins over an error on the other.
    private func logical(_ arguments: [Expr], _ activation: Activation, shortCircuitOn decisive: Bool) throws(EvalError) -> Value {
        var pendingError: EvalError?
        for argument in arguments {
            do throws(EvalError) {
                let value = try eval(argument, activation)
                guard case .bool(let flag) = value else {
                    throw EvalError.noOverload(decisive ? Operator.or : Operator.and, [value])
                }
                if flag == decisive { return .bool(decisive) }
            } catch {
                if error.kind == .costLimitExceeded { throw error }
                if pendingError == nil { pendingError = error }
            }
        }
        if let pendingError { throw pendingError }
        return .bool(!decisive)
    }

    private func evaluate(_ comprehension: Comprehension, _ activation: Activation, at position: SourcePosition) throws(EvalError) -> Value
    {
        let range = try eval(comprehension.range, activation)
        let items: [Value]
        switch range {
        case .list(let values): items = values
        case .map(let map): items = map.entries.map(\.key)
        default:
            throw EvalError(
                .noMatchingOverload, "\(comprehension.kind.rawValue)() needs a list or map, not '\(range.typeName)'", at: position)
        }
        func test(_ item: Value) throws(EvalError) -> Bool {
            try budget.charge(1)
            guard let predicate = comprehension.predicate else { return true }
            let value = try eval(predicate, activation.binding(comprehension.variable, to: item))
            guard case .bool(let flag) = value else {
                throw EvalError(
                    .noMatchingOverload, "the condition of \(comprehension.kind.rawValue)() must be a bool, not '\(value.typeName)'",
                    at: position)
            }
            return flag
        }
        switch comprehension.kind {
        case .all, .exists:
            // Like && and ||, a decisive element wins over an error in another element.
            let decisive = comprehension.kind == .exists
            var pendingError: EvalError?
            for item in items {
                do throws(EvalError) {
                    if try test(item) == decisive { return .bool(decisive) }
                } catch {
                    if error.kind == .costLimitExceeded { throw error }
                    if pendingError == nil { pendingError = error }
                }
            }
            if let pendingError { throw pendingError }
            return .bool(!decisive)
        case .existsOne:
            var matches = 0
            for item in items where try test(item) { matches += 1 }
            return .bool(matches == 1)
        case .filter:
            var kept: [Value] = []
            for item in items where try test(item) { kept.append(item) }
            return .list(kept)
        case .map:
            var mapped: [Value] = []
            for item in items where try test(item) {
                mapped.append(try eval(comprehension.transform!, activation.binding(comprehension.variable, to: item)))
            }
            return .list(mapped)
        }
    }
}

extension Literal {
    var value: Value {
        switch self {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .uint(let u): return .uint(u)
        case .double(let d): return .double(d)
        case .string(let s): return .string(s)
        case .bytes(let b): return .bytes(b)
        }
    }
}
