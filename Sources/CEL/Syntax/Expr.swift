/// A parsed CEL expression: a tree of nodes, each carrying its source position.
public indirect enum Expr: Sendable, Equatable {
    case literal(Literal, SourcePosition)
    case identifier(String, SourcePosition)
    /// `operand.field`; `testOnly` is true inside `has(...)`.
    case select(Expr, field: String, testOnly: Bool, SourcePosition)
    /// A function call, global (`size(x)`) or receiver-style (`x.size()`); operators are calls too (`_+_`).
    case call(function: String, target: Expr?, arguments: [Expr], SourcePosition)
    case list([Expr], SourcePosition)
    case map([(key: Expr, value: Expr)], SourcePosition)
    /// A macro over a list or map: `all`, `exists`, `exists_one`, `filter`, `map`.
    case comprehension(Comprehension, SourcePosition)

    public var position: SourcePosition {
        switch self {
        case .literal(_, let position), .identifier(_, let position), .select(_, _, _, let position),
            .call(_, _, _, let position), .list(_, let position), .map(_, let position),
            .comprehension(_, let position):
            return position
        }
    }

    public static func == (lhs: Expr, rhs: Expr) -> Bool {
        switch (lhs, rhs) {
        case (.literal(let a, _), .literal(let b, _)): return a == b
        case (.identifier(let a, _), .identifier(let b, _)): return a == b
        case (.select(let a, let fa, let ta, _), .select(let b, let fb, let tb, _)): return a == b && fa == fb && ta == tb
        case (.call(let fa, let ta, let aa, _), .call(let fb, let tb, let ab, _)): return fa == fb && ta == tb && aa == ab
        case (.list(let a, _), .list(let b, _)): return a == b
        case (.map(let a, _), .map(let b, _)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        case (.comprehension(let a, _), .comprehension(let b, _)): return a == b
        default: return false
        }
    }
}

/// A literal value as written in source.
public enum Literal: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    case uint(UInt64)
    case double(Double)
    case string(String)
    case bytes([UInt8])
}

/// An expanded macro: iterate `variable` over `range` and combine with `predicate`/`transform`.
public struct Comprehension: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case all, exists
        case existsOne = "exists_one"
        case filter, map
    }

    public var kind: Kind
    public var range: Expr
    public var variable: String
    /// The condition for `all`, `exists`, `exists_one`, `filter`, and the optional filter of `map`.
    public var predicate: Expr?
    /// The value produced by `map`.
    public var transform: Expr?
}

/// Names of the functions that operators are parsed into, as in the CEL specification.
public enum Operator {
    public static let add = "_+_"
    public static let subtract = "_-_"
    public static let multiply = "_*_"
    public static let divide = "_/_"
    public static let modulo = "_%_"
    public static let negate = "-_"
    public static let not = "!_"
    public static let and = "_&&_"
    public static let or = "_||_"
    public static let conditional = "_?_:_"
    public static let equals = "_==_"
    public static let notEquals = "_!=_"
    public static let less = "_<_"
    public static let lessOrEqual = "_<=_"
    public static let greater = "_>_"
    public static let greaterOrEqual = "_>=_"
    public static let `in` = "@in"
    public static let index = "_[_]"

    /// How an operator reads in messages: `_+_` is `+`.
    public static func display(_ function: String) -> String {
        switch function {
        case conditional: return "?:"
        case `in`: return "in"
        case index: return "[]"
        default:
            return String(function.filter { $0 != "_" })
        }
    }
}
