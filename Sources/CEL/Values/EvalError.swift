/// An evaluation error. Errors are values in CEL: `&&`, `||` and the quantifier macros can absorb them.
public struct EvalError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The class of error, stable across versions, used by tests and by callers that branch on it.
    public enum Kind: String, Sendable, Equatable {
        case noMatchingOverload = "no_matching_overload"
        case divisionByZero = "division_by_zero"
        case overflow = "overflow"
        case noSuchKey = "no_such_key"
        case noSuchField = "no_such_field"
        case indexOutOfRange = "index_out_of_range"
        case unboundVariable = "unbound_variable"
        case invalidArgument = "invalid_argument"
        /// The evaluation ran past its cost budget and was stopped; never absorbed by `&&`, `||` or quantifiers.
        case costLimitExceeded = "cost_limit_exceeded"
    }

    public var kind: Kind
    public var message: String
    public var position: SourcePosition?

    public init(_ kind: Kind, _ message: String, at position: SourcePosition? = nil) {
        self.kind = kind
        self.message = message
        self.position = position
    }

    public var description: String {
        if let position { return "\(position): \(message)" }
        return message
    }

    static func noOverload(_ function: String, _ arguments: [Value]) -> EvalError {
        let types = arguments.map(\.typeName).joined(separator: ", ")
        return EvalError(.noMatchingOverload, "no such overload: \(Operator.display(function))(\(types))")
    }
}
