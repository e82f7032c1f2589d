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
        let estimate = CostEstimator.estimate(expr, declarations: declarations, hints: declarations.sizeHints)
        guard estimate <= Double(Self.defaultCostLimit) else {
            throw .types([
                CheckError(
                    "this expression may cost up to \(Self.units(estimate)) units of work on the largest inputs, more than the "
                        + "limit of \(Self.units(Double(Self.defaultCostLimit))); a macro inside a macro over the same lists is the "
                        + "usual cause: precompute one side, or bound the lists it walks", at: .start)
            ])
        }
        resultType = type
    }

    /// A cost as a whole number with thousands separators, or "more than 10^18" past that.
    static func units(_ value: Double) -> String {
        guard value < 1e18 else { return "more than 10^18" }
        var digits = String(Int64(value.rounded(.up)))
        var groups: [String] = []
        while digits.count > 3 {
            groups.insert(String(digits.suffix(3)), at: 0)
            digits.removeLast(3)
        }
        groups.insert(digits, at: 0)
        return groups.joined(separator: ",")
    }

    /// The work one evaluation may do by default, in `CostBudget` units (as Kubernetes' per-expression limit).
    public static let defaultCostLimit = 10_000_000

    public func evaluate(_ activation: Activation, costLimit: Int = Program.defaultCostLimit) throws(EvalError) -> Value {
        try Evaluator(costLimit: costLimit).evaluate(expr, activation)
    }
}
