/// A parsed and checked expression, ready to evaluate many times.
public struct Program: Sendable {
    public let source: String
    public let expr: Expr
    public let resultType: CELType

    /// Why an expression could not be compiled: the first syntax error, or every type error.
    public enum CompileError: Error, Sendable, CustomStringConvertible {
        case syntax(SyntaxError)
        case types([CheckError])

        /// Each problem with its position within the expression.
        public var problems: [(position: SourcePosition, message: String)] {
            switch self {
            case .syntax(let error): return [(error.position, error.message)]
            case .types(let errors): return errors.map { ($0.position, $0.message) }
            }
        }

        public var description: String {
            problems.map { "\($0.position): \($0.message)" }.joined(separator: "\n")
        }
    }

    /// Parses and checks `source`; with `declarations` nil the expression is only parsed.
    public init(_ source: String, declarations: Declarations?) throws(CompileError) {
        self.source = source
        do {
            expr = try Parser.parse(source)
        } catch {
            throw .syntax(error)
        }
        guard let declarations else {
            resultType = .dyn
            return
        }
        let (type, errors) = Checker.check(expr, declarations)
        guard errors.isEmpty else { throw .types(errors) }
        resultType = type
    }

    public func evaluate(_ activation: Activation) throws(EvalError) -> Value {
        try Evaluator().evaluate(expr, activation)
    }
}
