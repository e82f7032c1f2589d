/// Type-checks a parsed expression against declarations, so mistakes are caught when a policy loads.
public struct Checker {
    let declarations: Declarations
    private var scopes: [[String: CELType]] = []
    public private(set) var errors: [CheckError] = []

    public init(_ declarations: Declarations) {
        self.declarations = declarations
    }

    /// The type of `expr`, and every error found in it (empty when it checks).
    public static func check(_ expr: Expr, _ declarations: Declarations) -> (type: CELType, errors: [CheckError]) {
        var checker = Checker(declarations)
        let type = checker.type(of: expr)
        return (type, checker.errors)
    }

    mutating func report(_ message: String, at position: SourcePosition) {
        errors.append(CheckError(message, at: position))
    }

    private func lookup(_ name: String) -> CELType? {
        for scope in scopes.reversed() { if let type = scope[name] { return type } }
        return declarations.variables[name]
    }

    private var visibleNames: [String] {
        Array(declarations.variables.keys) + scopes.flatMap(\.keys)
    }

    mutating func type(of expr: Expr) -> CELType {
        switch expr {
        case .literal(let literal, _):
            return literal.value.type
        case .identifier(let name, let position):
            if let type = lookup(name) { return type }
            if Evaluator.typeIdentifiers[name] != nil { return .type }
            report("undeclared reference to '\(name)'\(variableHint(for: name, among: visibleNames))", at: position)
            return .dyn
        case .select(let operand, let field, let testOnly, let position):
            if !testOnly, let name = Evaluator.qualifiedName(expr), lookup(String(name.split(separator: ".")[0])) == nil,
                Evaluator.typeIdentifiers[name] != nil
            {
                return .type
            }
            let fieldType = selectType(type(of: operand), field: field, at: position)
            return testOnly ? .bool : fieldType
        case .list(let items, _):
            let types = items.map { type(of: $0) }
            return .list(types.dropFirst().reduce(types.first ?? .dyn) { $0.joined(with: $1) })
        case .map(let entries, let position):
            var keyType: CELType?
            var valueType: CELType?
            for entry in entries {
                let k = type(of: entry.key)
                let v = type(of: entry.value)
                if ![.string, .int, .uint, .bool, .dyn].contains(k) {
                    report("unsupported map key type '\(k)': keys are int, uint, bool or string", at: position)
                }
                keyType = keyType.map { $0.joined(with: k) } ?? k
                valueType = valueType.map { $0.joined(with: v) } ?? v
            }
            return .map(keyType ?? .dyn, valueType ?? .dyn)
        case .comprehension(let comprehension, let position):
            return comprehensionType(comprehension, at: position)
        case .call(let function, let target, let arguments, let position):
            if let type = misnamedMacroType(function, target: target, arguments: arguments, at: position) { return type }
            let targetType = target.map { type(of: $0) }
            let argumentTypes = arguments.map { type(of: $0) }
            return callType(function, target: targetType, arguments: argumentTypes, argumentExprs: arguments, at: position)
        }
    }

    private mutating func selectType(_ operand: CELType, field: String, at position: SourcePosition) -> CELType {
        switch operand {
        case .dyn: return .dyn
        case .map(let key, let value):
            if key.isAssignable(to: .string) { return value }
        case .object(let name):
            guard let object = declarations.objectTypes[name] else { return .dyn }
            if let fieldType = object.fields[field] { return fieldType }
            report(
                "undefined field '\(field)' on \(name)\(fieldHint(for: field, among: object.fields.keys))",
                at: position)
            return .dyn
        default: break
        }
        report("type '\(operand)' has no fields; cannot select '\(field)'", at: position)
        return .dyn
    }

    private mutating func comprehensionType(_ comprehension: Comprehension, at position: SourcePosition) -> CELType {
        let rangeType = type(of: comprehension.range)
        let elementType: CELType
        switch rangeType {
        case .list(let element): elementType = element
        case .map(let key, _): elementType = key
        case .dyn: elementType = .dyn
        default:
            report("\(comprehension.kind.rawValue)() needs a list or map, not '\(rangeType)'", at: position)
            elementType = .dyn
        }
        return withScope([comprehension.variable: elementType]) { checker in
            checker.comprehensionResult(comprehension, elementType: elementType)
        }
    }

    /// Runs `body` with `variables` visible, as inside a macro.
    @discardableResult
    mutating func withScope<Result>(_ variables: [String: CELType], _ body: (inout Checker) -> Result) -> Result {
        scopes.append(variables)
        defer { scopes.removeLast() }
        return body(&self)
    }

    private mutating func comprehensionResult(_ comprehension: Comprehension, elementType: CELType) -> CELType {
        if let predicate = comprehension.predicate {
            let predicateType = type(of: predicate)
            if !predicateType.isAssignable(to: .bool) {
                report("the condition of \(comprehension.kind.rawValue)() must be a bool, not '\(predicateType)'", at: predicate.position)
            }
        }
        switch comprehension.kind {
        case .all, .exists, .existsOne: return .bool
        case .filter: return .list(elementType)
        case .map: return .list(comprehension.transform.map { type(of: $0) } ?? .dyn)
        }
    }
}
